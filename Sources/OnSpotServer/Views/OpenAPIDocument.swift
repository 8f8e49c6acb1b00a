/// The API contract, served at /api/v1/openapi.yaml. A test checks that every /api/v1 route the server registers
/// is described here and the reverse; CI validates the document against the OpenAPI 3.1 schema.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: OnSpot Connect API
  version: 1.0.0
  description: |
    Trips and travellers for travel agencies' systems (CRM connectors). Authenticate with an API key created
    in the portal: `Authorization: Bearer osk_…`. Errors are RFC 9457 problem details
    (`application/problem+json`) with a field-level `errors` list on validation failures.
    Registration is accepted at the latest 72 hours before departure; the service window opens 72 hours
    before arrival at the final destination and closes at return.
servers:
  - url: /api/v1
security:
  - apiKey: []
paths:
  /trips:
    post:
      operationId: createTrip
      summary: Register a trip with its travellers
      parameters:
        - name: Idempotency-Key
          in: header
          required: false
          description: Retries with the same key and body return the first answer; the same key with another body is refused (422).
          schema: {type: string, minLength: 1, maxLength: 255}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TripInput'}
      responses:
        '201':
          description: Registered; the assistance cards exist.
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Trip'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '413': {$ref: '#/components/responses/Problem'}
        '415': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
    get:
      operationId: listTrips
      summary: List the agency's trips, by departure
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: perPage, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
        - {name: q, in: query, description: Booking reference or traveller name or email, schema: {type: string}}
        - {name: phase, in: query, schema: {$ref: '#/components/schemas/Phase'}}
        - {name: destination, in: query, description: Destination code such as us-nyc, schema: {type: string}}
      responses:
        '200':
          description: One page of trips
          content:
            application/json:
              schema:
                type: object
                required: [items, page, perPage, total]
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/Trip'}}
                  page: {type: integer}
                  perPage: {type: integer}
                  total: {type: integer}
        '401': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /trips/{tripID}:
    parameters:
      - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getTrip
      summary: One trip of the agency
      responses:
        '200':
          description: The trip
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Trip'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
    patch:
      operationId: updateTrip
      summary: Change a trip's reference, destinations, dates or notes
      description: Fields left out keep their value. A departure may not be moved earlier than the 72-hour deadline allows.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TripPatch'}
      responses:
        '200':
          description: The updated trip
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Trip'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /trips/{tripID}/cancel:
    parameters:
      - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
    post:
      operationId: cancelTrip
      summary: Cancel a trip (article 5)
      description: LIGHT is refunded up to 7 days before departure, PLUS up to 24 hours before; later cancellations are accepted without refund.
      requestBody:
        required: false
        content:
          application/json:
            schema:
              type: object
              properties:
                reason: {type: string, maxLength: 1000}
      responses:
        '200':
          description: The cancelled trip, with its refund state
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Trip'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /travellers:
    get:
      operationId: listTravellers
      summary: List the agency's travellers
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: perPage, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
      responses:
        '200':
          description: One page of travellers
          content:
            application/json:
              schema:
                type: object
                required: [items, page, perPage, total]
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/Traveller'}}
                  page: {type: integer}
                  perPage: {type: integer}
                  total: {type: integer}
        '401': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /travellers/{travellerID}:
    parameters:
      - {name: travellerID, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getTraveller
      summary: One traveller of the agency
      responses:
        '200':
          description: The traveller
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Traveller'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
    patch:
      operationId: updateTraveller
      summary: Change a traveller's details
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TravellerInput'}
      responses:
        '200':
          description: The updated traveller
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Traveller'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /rights/assessments:
    post:
      operationId: assessPassengerRights
      summary: What a disrupted flight entitles the passenger to, regime by regime
      description: EU261, UK261, Canada APPR, US DOT, Brazil ANAC 400, Mexico, Australia and New Zealand, each answer citing its articles. The same JSON as `onspot rights`.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/DisruptionCase'}
      responses:
        '200':
          description: The assessment
          content:
            application/json:
              schema: {$ref: '#/components/schemas/RightsAssessment'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '415': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /conditions/assessments:
    post:
      operationId: assessBookingConditions
      summary: What an event costs under a booking-conditions rule pack, clause by clause
      description: Packs onspot-cgv, lastminute-sejour, mnk-weopera and onbusiness; the same JSON as `onspot conditions assess`.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ConditionsRequest'}
      responses:
        '200':
          description: The assessment
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ConditionsAssessment'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '415': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /extractions:
    post:
      operationId: extractReservations
      summary: The reservations found in a pasted confirmation, as schema.org JSON-LD
      description: 'Flights, stays, car rentals, transfers, trains, buses and activities written in French, English or Portuguese;
        boarding passes (IATA BCBP); schema.org JSON-LD and microdata. FlightReservation, LodgingReservation, RentalCarReservation,
        TaxiReservation, TrainReservation, BusReservation and EventReservation, with ISO date-times carrying the offset of
        their place. Incomplete findings are dropped and duplicates merged. The same output as `onspot extract`.' 
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties:
                text: {type: string, maxLength: 2000000}
                contextDate: {type: string, format: date, description: 'The day the document was received: years are inferred from it'}
      responses:
        '200':
          description: The reservations found, possibly none
          content:
            application/json:
              schema: {type: array, items: {type: object}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '413': {$ref: '#/components/responses/Problem'}
        '415': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /approvals:
    get:
      operationId: listApprovals
      summary: The agency's approval requests, newest first
      description: Each request asks the agency's written agreement for an outlay above its scope of action or for a booking made or changed (clause 2.10). The `approval.requested` webhook announces them.
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [pending, approved, denied, expired]}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: perPage, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
      responses:
        '200':
          description: One page of approval requests
          content:
            application/json:
              schema:
                type: object
                required: [items, page, perPage, total]
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/Approval'}}
                  page: {type: integer}
                  perPage: {type: integer}
                  total: {type: integer}
        '401': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /approvals/{approvalID}/decision:
    parameters:
      - {name: approvalID, in: path, required: true, schema: {type: string, format: uuid}}
    post:
      operationId: decideApproval
      summary: Approve or deny a pending request, with a comment
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [decision]
              properties:
                decision: {type: string, enum: [approve, deny]}
                comment: {type: string, maxLength: 2000}
      responses:
        '200':
          description: The decided request
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Approval'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
        '410': {$ref: '#/components/responses/Problem'}
        '415': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
components:
  securitySchemes:
    apiKey:
      type: http
      scheme: bearer
      description: An API key created in the portal (shown once, revocable).
  responses:
    Problem:
      description: RFC 9457 problem details
      content:
        application/problem+json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    Approval:
      type: object
      required: [id, status, text, amountMinor, currency, requestedAt, expiresAt]
      properties:
        id: {type: string, format: uuid}
        caseID: {type: string, format: uuid}
        status: {type: string, enum: [pending, approved, denied, expired]}
        text: {type: string, description: The exact text shown to the agency}
        amountMinor: {type: integer, description: 'The amount shown, in minor units of the agency''s currency'}
        currency: {type: string}
        domain: {type: string}
        supplier: {type: string}
        bookingChange: {type: boolean}
        requestedAt: {type: string, format: date-time}
        expiresAt: {type: string, format: date-time}
        decidedAt: {type: string, format: date-time}
        decidedVia: {type: string, enum: [portal, email_link, api]}
        comment: {type: string}
    Phase:
      type: string
      enum: [upcoming, in_service, ended, cancelled]
    Language:
      type: string
      enum: [fr, en, pt]
    TravellerInput:
      type: object
      properties:
        firstName: {type: string, maxLength: 100}
        lastName: {type: string, maxLength: 100}
        dateOfBirth: {type: string, format: date}
        phone: {type: string, description: 'E.164, e.g. +33612345678'}
        email: {type: string, format: email}
        language: {$ref: '#/components/schemas/Language'}
        consentsToCallRecording: {type: boolean, default: true}
        consentsToRecommendations: {type: boolean, default: false}
    TripInput:
      type: object
      required: [destinations, departure, return, travellers]
      properties:
        reference: {type: string, maxLength: 64}
        destinations:
          type: array
          minItems: 1
          maxItems: 10
          description: Destination codes in travel order; the last one is the final destination.
          items: {type: string}
        departure: {type: string, format: date-time, description: ISO 8601 with offset}
        arrival: {type: string, format: date-time, description: Arrival at the final destination; defaults to the departure}
        return: {type: string, format: date-time}
        notes: {type: string, maxLength: 4000}
        travellers:
          type: array
          minItems: 1
          maxItems: 20
          items:
            allOf:
              - {$ref: '#/components/schemas/TravellerInput'}
              - {required: [firstName, lastName]}
    TripPatch:
      type: object
      properties:
        reference: {type: string, maxLength: 64}
        destinations: {type: array, items: {type: string}, minItems: 1, maxItems: 10}
        departure: {type: string, format: date-time}
        arrival: {type: string, format: date-time}
        return: {type: string, format: date-time}
        notes: {type: string, maxLength: 4000}
    Destination:
      type: object
      required: [code, name, countryCode, timeZone]
      properties:
        code: {type: string}
        name: {type: string}
        countryCode: {type: string}
        timeZone: {type: string, description: IANA zone}
    Traveller:
      type: object
      required: [id, firstName, lastName, language, consentsToCallRecording, consentsToRecommendations]
      properties:
        id: {type: string, format: uuid}
        firstName: {type: string}
        lastName: {type: string}
        dateOfBirth: {type: [string, 'null'], format: date}
        phone: {type: [string, 'null']}
        email: {type: [string, 'null']}
        language: {$ref: '#/components/schemas/Language'}
        consentsToCallRecording: {type: boolean}
        consentsToRecommendations: {type: boolean}
        assistanceCardUrl: {type: [string, 'null'], format: uri, description: Present when read through a trip}
    Trip:
      type: object
      required: [id, status, phase, destinations, departure, arrival, return, serviceWindow, plan, refundState, travellers, createdAt, updatedAt]
      properties:
        id: {type: string, format: uuid}
        reference: {type: [string, 'null']}
        status: {type: string, enum: [booked, cancelled]}
        phase: {$ref: '#/components/schemas/Phase'}
        destinations: {type: array, items: {$ref: '#/components/schemas/Destination'}}
        departure: {type: string, format: date-time, description: In the agency's zone}
        arrival: {type: string, format: date-time, description: In the final destination's zone}
        return: {type: string, format: date-time}
        serviceWindow:
          type: object
          required: [start, end]
          properties:
            start: {type: string, format: date-time}
            end: {type: string, format: date-time}
        notes: {type: [string, 'null']}
        plan: {type: string, enum: [LIGHT, PLUS]}
        refundState: {type: string, enum: [not_applicable, pending, refunded, not_refundable]}
        cancelledAt: {type: [string, 'null'], format: date-time}
        cancellationReason: {type: [string, 'null']}
        travellers: {type: array, items: {$ref: '#/components/schemas/Traveller'}}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
    Amount:
      type: object
      required: [amount, currency]
      properties:
        amount: {type: number, description: Major units}
        currency: {type: string, description: 'ISO 4217 (XDR for Special Drawing Rights)'}
    DisruptionCase:
      type: object
      required: [journey, event, scheduledDeparture, scheduledArrival]
      properties:
        journey: {type: array, minItems: 2, maxItems: 10, items: {type: string, description: IATA airport code}}
        operatingCarrier: {type: string, description: IATA airline code}
        carrier:
          type: object
          properties:
            country: {type: string}
            canadaSize: {type: string, enum: [large, small]}
        event: {type: string, enum: [delay, cancellation, denied_boarding]}
        scheduledDeparture: {type: string, format: date-time}
        scheduledArrival: {type: string, format: date-time}
        actualArrival: {type: string, format: date-time, description: Required for a delay}
        noticeDays: {type: integer, minimum: 0}
        reroute:
          type: object
          properties:
            departure: {type: string, format: date-time}
            arrival: {type: string, format: date-time}
        cause: {type: string, enum: [technical, crew, airline_staff_strike, overbooking, it_failure, atc, atc_strike, weather, bird_strike, security, airport_closure, unknown]}
        fare: {$ref: '#/components/schemas/Amount'}
        provenLoss: {$ref: '#/components/schemas/Amount'}
        passengerChoice: {type: string, enum: [reroute, refund]}
        voluntary: {type: boolean}
    RegimeAssessment:
      type: object
      required: [regime, applies, compensation, refund, care, basis, notes]
      properties:
        regime: {type: string, enum: [EU261, UK261, APPR, US_DOT, BR_ANAC400, MX, AU, NZ]}
        applies: {type: boolean}
        compensation:
          oneOf:
            - {$ref: '#/components/schemas/Amount'}
            - {type: 'null'}
        reducibleTo: {$ref: '#/components/schemas/Amount'}
        refund: {type: boolean}
        care: {type: array, items: {type: string, enum: [meals, communication, hotel, transport]}}
        basis: {type: array, minItems: 1, items: {type: string}}
        notes: {type: array, items: {type: string}}
    RightsAssessment:
      type: object
      required: [distanceKm, assessments]
      properties:
        distanceKm: {type: integer}
        assessments: {type: array, items: {$ref: '#/components/schemas/RegimeAssessment'}}
    ConditionsRequest:
      type: object
      required: [pack, event]
      properties:
        pack: {type: string, enum: [onspot-cgv, lastminute-sejour, mnk-weopera, onbusiness]}
        event: {type: string, enum: [registration, service_start, service_cancellation, service_payment, payment_schedule, traveller_cancellation, organiser_cancellation, modification, transfer, price_revision, complaint, no_show, points_claim, balance_expiry, bonus_conversion, earning_eligibility]}
        eventDate: {type: string, description: 'YYYY-MM-DD, or a date-time with offset where hours matter'}
        bookingDate: {type: string}
        departure: {type: string}
        arrival: {type: string}
        returnDate: {type: string}
        travelDate: {type: string}
        lastIncreaseDate: {type: string}
        issueDate: {type: string}
        price: {$ref: '#/components/schemas/Amount'}
        plan: {type: string, enum: [LIGHT, PLUS]}
        increasePercent: {type: number}
        supplierRefund: {$ref: '#/components/schemas/Amount'}
        refundableTaxes: {$ref: '#/components/schemas/Amount'}
        reason: {type: string}
        newAccount: {type: boolean}
        passengerAge: {type: integer}
        amount: {type: number}
    ConditionsAssessment:
      type: object
      required: [pack, version, event, allowed, charges, refund, indemnity, value, installments, deadlines, options, citations, notes]
      properties:
        pack: {type: string}
        version: {type: string}
        event: {type: string}
        allowed: {type: boolean}
        charges:
          type: array
          items:
            type: object
            required: [kind, amount, currency, atLeast]
            properties:
              kind: {type: string}
              amount: {type: number}
              currency: {type: string}
              atLeast: {type: boolean}
        refund:
          oneOf:
            - {$ref: '#/components/schemas/Amount'}
            - {type: 'null'}
        indemnity:
          oneOf:
            - type: object
              required: [amount, currency, atLeast]
              properties:
                amount: {type: number}
                currency: {type: string}
                atLeast: {type: boolean}
            - {type: 'null'}
        value:
          oneOf:
            - {$ref: '#/components/schemas/Amount'}
            - {type: 'null'}
        installments:
          type: array
          items:
            type: object
            required: [dueDate, amount, currency]
            properties:
              dueDate: {type: string}
              amount: {type: number}
              currency: {type: string}
        deadlines:
          type: array
          items:
            type: object
            required: [kind, date]
            properties:
              kind: {type: string}
              date: {type: string}
        options: {type: array, items: {type: string, enum: [accept, cancel_free, refund, reroute, alternative_trip]}}
        citations: {type: array, minItems: 1, items: {type: string}}
        notes: {type: array, items: {type: string}}
    FieldError:
      type: object
      required: [field, message]
      properties:
        field: {type: string, description: 'Path of the field, e.g. travellers[0].phone'}
        message: {type: string}
    Problem:
      type: object
      required: [type, title, status]
      properties:
        type: {type: string, format: uri}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        errors: {type: array, items: {$ref: '#/components/schemas/FieldError'}}
"""#
}
