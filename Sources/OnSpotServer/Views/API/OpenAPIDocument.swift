/// The API contract, served at /api/v1/openapi.yaml. A test checks that every /api/v1 route the server registers
/// is described here and the reverse; CI validates the document against the OpenAPI 3.1 schema.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: OnSpot Connect API
          version: 1.6.0
          description: |
            Trips and travellers for travel agencies' systems (CRM connectors). Authenticate with an API key created
            in the portal: `Authorization: Bearer osk_…`. Errors are RFC 9457 problem details
            (`application/problem+json`) with a field-level `errors` list on validation failures.
            Registration is accepted at the latest 72 hours before departure; the service window opens 72 hours
            before arrival at the final destination and closes at return.

            Conventions every operation follows:
            - A request body is JSON (`Content-Type: application/json`): another media type, or a body without a content
              type, is refused with 415. Bodies are limited to 1 MB (4 MB for `/extractions`): larger ones get 413.
              A body that is not JSON, or whose fields have the wrong JSON type, gets 400.
            - In request bodies, `null` is the same as leaving the field out, and unknown fields are ignored.
            - No text may contain a NUL character (U+0000): a JSON body with one anywhere, even in an unknown field, or the
              query string of a list operation with one (`%00`), is refused with 400.
            - Lengths count characters; names and references are read without their surrounding spaces.
            - A method a path does not list is answered 405 with an `Allow` header naming the methods it has.
            - Each API key may send a quota of requests a minute (600 unless the operator set another), shared by every
              server: every answer to a known key allowed to make the request says where the key stands, `RateLimit-Policy: "per-key";q=600;w=60` and
              `RateLimit: "per-key";r=<requests left>;t=<seconds until the minute ends>` (IETF draft "RateLimit header
              fields for HTTP"); beyond the quota the answer is 429 with `Retry-After` in seconds, and nothing is done.
            - A key created read-only (for reports and exports) reads everything and may use the computing operations
              (`/rights/assessments`, `/conditions/assessments`, `/extractions`); any other operation that writes
              answers it 403 and changes nothing.
            - Field values the schemas accept can still be refused with 422 by the business rules each operation
              describes (deadlines, the order of dates, codes that must exist in a catalogue, rule packs' events).
            - The events OnSpot posts to the agency's webhook endpoints are this document's `webhooks`, each with its
              payload schema. `/api/v1` changes only by addition; the changelog and the version policy are in the
              integration guide (docs/api.md).
        servers:
          - url: /api/v1
        security:
          - apiKey: []
        paths:
          /trips:
            post:
              operationId: createTrip
              summary: Register a trip with its travellers
              description: |
                Besides the schema, registration refuses with 422: a departure later than 72 hours from now is required;
                the arrival may not precede the departure; the return must follow the arrival and come at most 400 days
                after the departure; each destination code must exist and be active in the catalogue, once.
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
                    ETag: {schema: {type: string}, description: Absent when the answer is replayed for a retry (read the trip for its current ETag)}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Trip'}
                  links:
                    GetTrip: {operationId: getTrip, parameters: {tripID: '$response.body#/id'}}
                    ListSegments: {operationId: listSegments, parameters: {tripID: '$response.body#/id'}}
                    CreateSegment: {operationId: createSegment, parameters: {tripID: '$response.body#/id'}}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
            get:
              operationId: listTrips
              summary: List the agency's trips, by departure
              parameters:
                - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 100000, default: 1}}
                - {name: perPage, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: q, in: query, description: Booking reference or traveller name or email, schema: {type: string, pattern: '^[^\x00]*$'}}
                - {name: phase, in: query, schema: {$ref: '#/components/schemas/Phase'}}
                - {name: destination, in: query, description: Destination code such as us-nyc, schema: {type: string, pattern: '^[^\x00]*$'}}
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
                          next: {type: string, description: 'The next page (a path with the same filters); absent on the last page. Offset pages: an item added meanwhile can shift them'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getTrip
              summary: One trip of the agency, with its ETag
              responses:
                '200':
                  description: The trip
                  headers:
                    ETag: {schema: {type: string}, description: Send it in If-Match to change this resource only as read}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Trip'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
            patch:
              operationId: updateTrip
              summary: Change a trip's reference, destinations, dates or notes
              description: |
                Fields left out keep their value. The changed trip must satisfy the rules of registration (422 otherwise):
                the arrival may not precede the departure, the return must follow the arrival and come at most 400 days
                after the departure, each destination code must exist and be active in the catalogue, once; a departure
                moved earlier must still be more than 72 hours away. Send the ETag read with the trip in `If-Match`: if
                another system (or the portal) changed it meanwhile, 412 and nothing is changed.
              parameters:
                - {name: If-Match, in: header, required: false, description: 'The ETag read; 412 and nothing changed if the resource changed since', schema: {type: string, maxLength: 1000}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/TripPatch'}
              responses:
                '200':
                  description: The updated trip
                  headers:
                    ETag: {schema: {type: string}, description: Send it in If-Match to change this resource only as read}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Trip'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '412': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/cancel:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: cancelTrip
              summary: Cancel a trip (article 5)
              description: LIGHT is refunded up to 7 days before departure, PLUS up to 24 hours before; later cancellations are accepted without refund. A trip already cancelled gets 409; with `If-Match`, only the trip as last read (412 otherwise).
              parameters:
                - {name: If-Match, in: header, required: false, description: 'The ETag read; 412 and nothing changed if the resource changed since', schema: {type: string, maxLength: 1000}}
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      propertyNames: {pattern: '^[^\x00]*$'}
                      additionalProperties: {$ref: '#/components/schemas/NoNUL'}
                      properties:
                        reason: {type: [string, 'null'], maxLength: 1000, pattern: '^[^\x00]*$'}
              responses:
                '200':
                  description: The cancelled trip, with its refund state
                  headers:
                    ETag: {schema: {type: string}, description: Send it in If-Match to change this resource only as read}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Trip'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '412': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/segments:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: listSegments
              summary: A trip's itinerary, in the order of travel
              description: Dated segments by start time, undated ones after them, each group in the order entered.
              responses:
                '200':
                  description: Every segment of the trip
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/Segment'}}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
            post:
              operationId: createSegment
              summary: Add a segment to a trip's itinerary (flight, stay, car rental, transfer, train, bus, activity, other)
              description: |
                Times are local to `timeZone` (the trip's final destination when left out), or carry an explicit offset.
                Besides the schema, 422 refuses: a time that does not exist (30 February, or inside a daylight-saving
                gap), an unknown time zone, an end before the start. A cancelled trip's itinerary cannot change (409).
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
                    schema: {$ref: '#/components/schemas/SegmentInput'}
              responses:
                '201':
                  description: Added
                  headers:
                    Location: {schema: {type: string}}
                    ETag: {schema: {type: string}, description: Absent when the answer is replayed for a retry (read the trip for its current ETag)}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Segment'}
                  links:
                    GetSegment: {operationId: getSegment, parameters: {tripID: '$response.body#/tripID', segmentID: '$response.body#/id'}}
                    UpdateSegment: {operationId: updateSegment, parameters: {tripID: '$response.body#/tripID', segmentID: '$response.body#/id'}}
                    DeleteSegment: {operationId: deleteSegment, parameters: {tripID: '$response.body#/tripID', segmentID: '$response.body#/id'}}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/segments/{segmentID}:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
              - {name: segmentID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getSegment
              summary: One segment of a trip, with its ETag
              responses:
                '200':
                  description: The segment
                  headers:
                    ETag: {schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Segment'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
            patch:
              operationId: updateSegment
              summary: Change a segment
              description: |
                Fields left out (or null) keep their value (times keep their instant, even when `timeZone` changes); an
                empty text clears an optional one. Send the ETag read
                with the segment in `If-Match`: if another system changed it meanwhile, 412 and nothing is changed.
                The changed segment follows the rules of creation (422 otherwise); a cancelled trip's itinerary
                cannot change (409).
              parameters:
                - {name: If-Match, in: header, required: false, schema: {type: string, maxLength: 1000}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/SegmentPatch'}
              responses:
                '200':
                  description: The changed segment
                  headers:
                    ETag: {schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Segment'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '412': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
            delete:
              operationId: deleteSegment
              summary: Remove a segment from a trip's itinerary
              description: With `If-Match`, only the segment as last read (412 otherwise). A cancelled trip's itinerary cannot change (409).
              parameters:
                - {name: If-Match, in: header, required: false, schema: {type: string, maxLength: 1000}}
              responses:
                '204': {description: Removed}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '412': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/documents:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: createDocument
              summary: Post a confirmation or voucher to a trip, as text or as a file; the segments found in it come back as proposals
              description: |
                The text is kept verbatim, as an agent's paste on the trip page. The segments found in it (flights,
                stays, car rentals, trains…) are proposals until accepted (`POST …/accept`). A cancelled trip takes no
                more documents (409).

                A file is posted as `multipart/form-data` with a part named `file` (and optionally `title`): a PDF
                (its text layer), a saved email (`.eml`: multipart, quoted-printable, base64 and charsets read; the
                HTML part kept with its structure), an Apple Wallet pass (`.pkpass`), an image of a boarding pass
                (PNG, JPEG, GIF or BMP; PDF417, Aztec, QR and Data Matrix codes read) or a text file. The kind is
                told from the content, not from the name. The file is kept verbatim (`GET …/file`) beside the text
                read from it (`text`). Refused: anything else, an empty file, a PDF with no text (a scan), an image
                with no barcode, a damaged or password-protected file (422 on `file`, in the key's language); more
                than 10 MB (413). 503 when this server cannot read that kind of file.
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
                    schema: {$ref: '#/components/schemas/DocumentInput'}
                  multipart/form-data:
                    schema: {$ref: '#/components/schemas/DocumentFileInput'}
                    encoding:
                      file: {contentType: application/octet-stream}
              responses:
                '201':
                  description: Kept, with its proposals
                  headers:
                    Location: {schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Document'}
                  links:
                    GetDocument: {operationId: getDocument, parameters: {tripID: '$response.body#/tripID', documentID: '$response.body#/id'}}
                    AcceptProposals: {operationId: acceptProposals, parameters: {tripID: '$response.body#/tripID', documentID: '$response.body#/id'}}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
                '503': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/documents/{documentID}:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
              - {name: documentID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getDocument
              summary: A document of the trip, its proposals and which became segments
              responses:
                '200':
                  description: The document
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Document'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/documents/{documentID}/file:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
              - {name: documentID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getDocumentFile
              summary: The file a document was read from, verbatim
              description: |
                Served as an attachment with the media type its content was recognised as, and its name in
                `Content-Disposition`. A document posted as text has no file (404).
              responses:
                '200':
                  description: The file
                  headers:
                    Content-Disposition: {schema: {type: string}}
                  content:
                    application/pdf: {schema: {type: string, contentMediaType: application/pdf}}
                    message/rfc822: {schema: {type: string, contentMediaType: message/rfc822}}
                    application/vnd.apple.pkpass: {schema: {type: string, contentMediaType: application/vnd.apple.pkpass}}
                    image/png: {schema: {type: string, contentMediaType: image/png}}
                    image/jpeg: {schema: {type: string, contentMediaType: image/jpeg}}
                    image/gif: {schema: {type: string, contentMediaType: image/gif}}
                    image/bmp: {schema: {type: string, contentMediaType: image/bmp}}
                    text/plain: {schema: {type: string}}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /trips/{tripID}/documents/{documentID}/accept:
            parameters:
              - {name: tripID, in: path, required: true, schema: {type: string, format: uuid}}
              - {name: documentID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: acceptProposals
              summary: Add some or all of a document's proposals to the itinerary
              description: |
                Names proposals by their `index`. A proposal already accepted stays as it is, so a retry is safe. An index
                the document does not have is refused (422); a cancelled trip's itinerary cannot change (409).
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/AcceptProposals'}
              responses:
                '200':
                  description: The document, each accepted proposal with its segment
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Document'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /cases:
            get:
              operationId: listCases
              summary: The agency's cases, newest first
              description: |
                What happened on the agency's trips: category, times, service-level outcome, resolution summary, costs
                and approvals, satisfaction. The conversation itself is not in the API: it is the traveller's exchange
                with OnSpot's expert; the agency reads the resolution summary and every cost and approval.
                Pages follow `next` (a cursor, stable while new cases open); an unknown destination code or a cursor
                that no page gave is refused with 422.
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [new, in_progress, waiting_for_traveller, waiting_for_agency, resolved]}}
                - {name: trip, in: query, description: A trip's id, schema: {type: string, format: uuid}}
                - {name: destination, in: query, description: Destination code such as us-nyc, schema: {type: string, maxLength: 64, pattern: '^[^\x00]*$'}}
                - {name: openedFrom, in: query, description: Cases opened at or after, schema: {$ref: '#/components/schemas/InstantInput'}}
                - {name: openedBefore, in: query, description: Cases opened before, schema: {$ref: '#/components/schemas/InstantInput'}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: cursor, in: query, description: From the previous page's next link, schema: {type: string, maxLength: 200, pattern: '^[A-Za-z0-9_-]*$'}}
              responses:
                '200':
                  description: One page of cases
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/Case'}}
                          next: {type: string, description: The next page (a path with the same filters); absent on the last page}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /cases/{caseID}:
            parameters:
              - {name: caseID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getCase
              summary: One case of the agency
              responses:
                '200':
                  description: The case
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Case'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /travellers:
            get:
              operationId: listTravellers
              summary: List the agency's travellers
              parameters:
                - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 100000, default: 1}}
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
                          next: {type: string, description: 'The next page (a path with the same filters); absent on the last page. Offset pages: an item added meanwhile can shift them'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /travellers/{travellerID}:
            parameters:
              - {name: travellerID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getTraveller
              summary: One traveller of the agency, with its ETag
              responses:
                '200':
                  description: The traveller
                  headers:
                    ETag: {schema: {type: string}, description: Send it in If-Match to change this resource only as read}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Traveller'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
            patch:
              operationId: updateTraveller
              summary: Change a traveller's details
              description: |
                Fields left out (or null) keep their value; an empty phone, email or date of birth removes it. With
                `If-Match`, only the traveller as last read (412 otherwise: read again, then apply the change).
              parameters:
                - {name: If-Match, in: header, required: false, description: 'The ETag read; 412 and nothing changed if the resource changed since', schema: {type: string, maxLength: 1000}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/TravellerInput'}
              responses:
                '200':
                  description: The updated traveller
                  headers:
                    ETag: {schema: {type: string}, description: Send it in If-Match to change this resource only as read}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Traveller'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '412': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /travellers/{travellerID}/export:
            parameters:
              - {name: travellerID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: exportTravellerData
              summary: Everything held on a traveller, as a zip (GDPR articles 15 and 20)
              description: |
                A zip holding `export.json` (format `onspot-personal-data-export`, version 1) and the attachments the
                traveller sent under `attachments/`. The person's other registrations in the agency (same phone or email)
                are included: trips, itineraries and pasted documents, conversations and every message on every channel
                (calls and voicemails with their transcripts), cases with notes, costs, approvals and attempts to reach the
                agency, activities booked and recommended, consents, and who read their data. Each export is audited.
              responses:
                '200':
                  description: The export
                  content:
                    application/zip:
                      schema: {type: string, format: binary}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /travellers/{travellerID}/erasure:
            parameters:
              - {name: travellerID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: eraseTraveller
              summary: Erase a traveller (GDPR article 17), on every registration of the person in the agency
              description: |
                Identity, contact details, message texts and media, attachments, notes and the copies of their name, phone
                or email are erased; trips, cases, amounts, invoices, consents and the audit trail stay, without the person.
                The phone no longer matches their conversations. Cannot be undone; audited.
              responses:
                '200':
                  description: What was erased
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [travellers, messages, attachments, cases, notes, copies]
                        properties:
                          travellers: {type: integer}
                          messages: {type: integer}
                          attachments: {type: integer}
                          cases: {type: integer}
                          notes: {type: integer}
                          copies: {type: integer}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /rights/assessments:
            post:
              operationId: assessPassengerRights
              summary: What a disrupted flight entitles the passenger to, regime by regime
              description: |
                EU261, UK261, Canada APPR, US DOT, Brazil ANAC 400, Mexico, Australia and New Zealand, each answer citing
                its articles. The same JSON as `onspot rights`. Besides the schema, a case is refused with 422 when an
                airport code is not in the IATA table or when the scheduled arrival does not follow the scheduled departure.
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
                '429': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /conditions/assessments:
            post:
              operationId: assessBookingConditions
              summary: What an event costs under a booking-conditions rule pack, clause by clause
              description: |
                The shipped packs and their events: onspot-cgv (registration, service_start, service_cancellation,
                service_payment), lastminute-sejour, mnk-weopera and onbusiness (points_claim, balance_expiry,
                bonus_conversion, earning_eligibility), plus the packs the agency uploaded in the portal. The same JSON as
                `onspot conditions assess`. Refused with 422: a pack the agency does not have, an event its pack does not
                have, no version of the pack in force on the event's date, a missing input the event needs (a date, price,
                plan, reason, amount, age or percentage), amounts not in the pack's currency (EUR for the shipped packs).
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
                '429': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /extractions:
            post:
              operationId: extractReservations
              summary: The reservations found in a pasted confirmation, as schema.org JSON-LD
              description: 'Flights, stays, car rentals, transfers, trains, buses and activities written in French, English or Portuguese;
                boarding passes (IATA BCBP); schema.org JSON-LD and microdata. FlightReservation, LodgingReservation, RentalCarReservation,
                TaxiReservation, TrainReservation, BusReservation and EventReservation, with ISO date-times carrying the offset of
                their place. Incomplete findings are dropped and duplicates merged. The same output as `onspot extract`.
                A text over 2,000,000 bytes in UTF-8 gets 413.'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [text]
                      propertyNames: {pattern: '^[^\x00]*$'}
                      additionalProperties: {$ref: '#/components/schemas/NoNUL'}
                      properties:
                        text: {type: string, maxLength: 2000000, pattern: '^[^\x00]*$'}
                        contextDate:
                          type: [string, 'null']
                          format: date
                          pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                          description: 'The day the document was received, YYYY-MM-DD: years are inferred from it (today when absent)'
              responses:
                '200':
                  description: The reservations found, possibly none
                  content:
                    application/json:
                      schema: {type: array, items: {type: object}}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /alerts:
            get:
              operationId: listAlerts
              summary: The agency's travellers' flight and weather alerts, newest first
              description: |
                Official weather and hazard warnings (CAP: NWS, Environment Canada, SMN, INMET, MetService, GDACS) over
                the places of a traveller's itinerary, and disruptions of their watched flights (FlightAware): one item
                per alert and traveller, with whether they were told (`told`; only travellers with `consentsToAlerts`
                get a message, the others are listed with `notTold` so the agency can reach them). A weather alert's update is a new item
                whose `changes` name what changed; a cancelled or expired one keeps its item with `endsAt`. The
                `weather.alert` and `flight.disrupted` webhooks announce them. Pages follow `next` (a cursor); a cursor
                that no page gave is refused with 422.
              parameters:
                - {name: kind, in: query, schema: {type: string, enum: [weather, flight]}}
                - {name: trip, in: query, description: A trip's id, schema: {type: string, format: uuid}}
                - {name: traveller, in: query, description: A traveller's id, schema: {type: string, format: uuid}}
                - {name: createdFrom, in: query, description: Alerts recorded at or after, schema: {$ref: '#/components/schemas/InstantInput'}}
                - {name: createdBefore, in: query, description: Alerts recorded before, schema: {$ref: '#/components/schemas/InstantInput'}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: cursor, in: query, description: From the previous page's next link, schema: {type: string, maxLength: 200, pattern: '^[A-Za-z0-9_-]*$'}}
              responses:
                '200':
                  description: One page of alerts
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/Alert'}}
                          next: {type: string, description: The next page (a path with the same filters); absent on the last page}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /approvals:
            get:
              operationId: listApprovals
              summary: The agency's approval requests, newest first
              description: Each request asks the agency's written agreement for an outlay above its scope of action or for a booking made or changed (clause 2.10). The `approval.requested` webhook announces them.
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [pending, approved, denied, expired]}}
                - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 100000, default: 1}}
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
                          next: {type: string, description: 'The next page (a path with the same filters); absent on the last page. Offset pages: an item added meanwhile can shift them'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /approvals/{approvalID}/decision:
            parameters:
              - {name: approvalID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: decideApproval
              summary: Approve or deny a pending request, with a comment
              description: Another agency's request, or none, gets 404; a request already decided gets 409, an expired one 410.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [decision]
                      propertyNames: {pattern: '^[^\x00]*$'}
                      additionalProperties: {$ref: '#/components/schemas/NoNUL'}
                      properties:
                        decision: {type: string, enum: [approve, deny]}
                        comment: {type: [string, 'null'], maxLength: 2000, pattern: '^[^\x00]*$'}
              responses:
                '200':
                  description: The decided request
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Approval'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '410': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /invoices:
            get:
              operationId: listInvoices
              summary: The agency's invoices, newest first
              description: |
                Monthly and supplementary invoices with what each bills, what was paid and refunded, and what is still
                due. Pages follow `next`; a cursor that no page gave is refused with 422.
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [issued, paid, cancelled]}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: cursor, in: query, description: From the previous page's next link, schema: {type: string, maxLength: 200, pattern: '^[A-Za-z0-9_-]*$'}}
              responses:
                '200':
                  description: One page of invoices
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/Invoice'}}
                          next: {type: string, description: The next page (a path with the same filters); absent on the last page}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /invoices/{invoiceID}:
            parameters:
              - {name: invoiceID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getInvoice
              summary: One invoice of the agency, with its lines and credit notes
              responses:
                '200':
                  description: The invoice
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Invoice'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /credits:
            get:
              operationId: getCredits
              summary: The agency's commission credits, balance and movements newest first
              description: |
                Credits are earned on activities booked for the agency's travellers (clause 2.4) and spent on invoices or
                exported as miles. Pages of movements follow `next`; the balance is the current one on every page.
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: cursor, in: query, description: From the previous page's next link, schema: {type: string, maxLength: 200, pattern: '^[A-Za-z0-9_-]*$'}}
              responses:
                '200':
                  description: The balance and one page of movements
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Credits'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /reports/monthly:
            get:
              operationId: getMonthlyReport
              summary: The agency's monthly report, as its portal shows it
              description: |
                Cases opened and resolved, spend committed per domain (allowed, approved or overridden), approvals and
                the time they took, emergency overrides, and satisfaction and service levels per destination, over the
                month in the agency's time zone. Amounts are in minor units of the agency's currency.
              parameters:
                - {name: month, in: query, description: 'YYYY-MM, 2000-01 to 2100-12; this month when left out', schema: {type: string, pattern: '^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$'}}
              responses:
                '200':
                  description: The report
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/MonthlyReport'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /webhook-endpoints:
            get:
              operationId: listWebhookEndpoints
              summary: The agency's webhook endpoints, oldest first (secrets are never listed)
              responses:
                '200':
                  description: Every endpoint, active or not
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/WebhookEndpoint'}}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
            post:
              operationId: createWebhookEndpoint
              summary: Add an endpoint; every event type is posted to it, signed with its secret
              description: |
                The answer carries the endpoint's `secret`, shown this once. The address must be absolute `https://`
                (`http://` is also taken outside production) and may not be an address of a private or reserved network;
                otherwise 422 on `url`. Sixteen active endpoints at most (409 beyond).
              parameters:
                - name: Idempotency-Key
                  in: header
                  required: false
                  description: Retries with the same key and body return the first answer (the same secret); the same key with another body is refused (422).
                  schema: {type: string, minLength: 1, maxLength: 255}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/WebhookEndpointInput'}
              responses:
                '201':
                  description: Added, with its secret
                  headers:
                    Location: {schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookEndpoint'}
                  links:
                    GetWebhookEndpoint: {operationId: getWebhookEndpoint, parameters: {endpointID: '$response.body#/id'}}
                    RotateWebhookSecret: {operationId: rotateWebhookSecret, parameters: {endpointID: '$response.body#/id'}}
                    DeactivateWebhookEndpoint: {operationId: deactivateWebhookEndpoint, parameters: {endpointID: '$response.body#/id'}}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /webhook-endpoints/{endpointID}:
            parameters:
              - {name: endpointID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getWebhookEndpoint
              summary: One endpoint of the agency
              responses:
                '200':
                  description: The endpoint
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookEndpoint'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /webhook-endpoints/{endpointID}/rotate-secret:
            parameters:
              - {name: endpointID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: rotateWebhookSecret
              summary: Give the endpoint a new secret; the previous one keeps signing beside it for a while
              description: |
                Deliveries are signed with the new secret at once. For `previousSecretExpiresInHours` (24 when left out,
                0 to stop at once) the previous secret signs too: `OnSpot-Signature` then carries two comma-separated
                signatures, the new one first; a receiver accepts the delivery when either matches. A rotation during an
                earlier one's overlap ends that overlap (two signatures at most). A deactivated endpoint cannot be
                rotated, and of two rotations sent at once one gets 409.
              parameters:
                - name: Idempotency-Key
                  in: header
                  required: false
                  description: A retry with the same key returns the first answer (the same new secret) instead of rotating again.
                  schema: {type: string, minLength: 1, maxLength: 255}
              requestBody:
                required: false
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/WebhookRotationInput'}
              responses:
                '200':
                  description: The endpoint with its new secret, shown this once
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookEndpoint'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /webhook-endpoints/{endpointID}/deactivate:
            parameters:
              - {name: endpointID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: deactivateWebhookEndpoint
              summary: Turn an endpoint off for good
              description: |
                Nothing more is posted to it; deliveries still queued for it fail as "endpoint deactivated". Idempotent:
                deactivating it again answers the same endpoint. To resume, add a new endpoint.
              responses:
                '200':
                  description: The endpoint, inactive
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookEndpoint'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '400': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
          /webhook-deliveries:
            get:
              operationId: listWebhookDeliveries
              summary: The delivery log, newest first
              description: |
                Each event posted to each endpoint, with its state, attempts, last response and the event itself. Pages
                follow `next` (a cursor, stable while new events are queued); a cursor that no page gave is refused with
                422.
              parameters:
                - {name: endpoint, in: query, description: An endpoint's id, schema: {type: string, format: uuid}}
                - {name: status, in: query, schema: {type: string, enum: [pending, delivered, failed]}}
                - {name: type, in: query, schema: {$ref: '#/components/schemas/WebhookEventType'}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
                - {name: cursor, in: query, description: From the previous page's next link, schema: {type: string, maxLength: 200, pattern: '^[A-Za-z0-9_-]*$'}}
              responses:
                '200':
                  description: One page of deliveries
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: '#/components/schemas/WebhookDelivery'}}
                          next: {type: string, description: The next page (a path with the same filters); absent on the last page}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /webhook-deliveries/{deliveryID}:
            parameters:
              - {name: deliveryID, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              operationId: getWebhookDelivery
              summary: One delivery of the agency, with the event as posted
              responses:
                '200':
                  description: The delivery
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookDelivery'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
          /webhook-deliveries/{deliveryID}/replay:
            parameters:
              - {name: deliveryID, in: path, required: true, schema: {type: string, format: uuid}}
            post:
              operationId: replayWebhookDelivery
              summary: Send a delivery again now, with the same delivery id
              description: |
                Whatever its state, the delivery is posted again at once as a fresh series of attempts (retried with
                backoff if it fails). Receivers should treat `OnSpot-Delivery` as the key that makes a repeat harmless.
                409 when its endpoint was deactivated.
              parameters:
                - name: Idempotency-Key
                  in: header
                  required: false
                  description: A retry with the same key returns the first answer instead of sending again.
                  schema: {type: string, minLength: 1, maxLength: 255}
              responses:
                '202':
                  description: Queued again
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/WebhookDelivery'}
                '401': {$ref: '#/components/responses/Problem'}
                '429': {$ref: '#/components/responses/Problem'}
                '403': {$ref: '#/components/responses/Problem'}
                '404': {$ref: '#/components/responses/Problem'}
                '409': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
                '400': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
        webhooks:
          case.resolved:
            post:
              operationId: caseResolvedEvent
              summary: An expert resolved a case of one of the agency's travellers
              description: The agency's email at each resolution, as an event. Read the case with `GET /cases/{caseID}`.
              parameters: &eventHeaders
                - {name: OnSpot-Delivery, in: header, required: true, description: 'The delivery''s id, the same on every retry and replay: the key that makes a repeat harmless', schema: {type: string, format: uuid}}
                - {name: OnSpot-Timestamp, in: header, required: true, description: Unix time of this attempt; refuse one more than five minutes old, schema: {type: string, pattern: '^[0-9]+$'}}
                - {name: OnSpot-Signature, in: header, required: true, description: 'v1=hex(HMAC-SHA256(secret, "<OnSpot-Timestamp>.<raw body>")); during a secret rotation''s overlap two comma-separated signatures, the new one first: accept either', schema: {type: string}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/CaseResolvedEvent'}
              responses: &eventResponses
                '2XX': {description: 'Received. Any other answer, or none within 10 seconds, is retried with exponential backoff, 8 attempts in all'}
          approval.requested:
            post:
              operationId: approvalRequestedEvent
              summary: An expert asks the agency's written approval for a cost beyond its scope of action
              description: Decide it with `POST /approvals/{approvalID}/decision` before `expiresAt`.
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/ApprovalRequestedEvent'}
              responses: *eventResponses
          approval.decided:
            post:
              operationId: approvalDecidedEvent
              summary: An approval request was decided (in the portal, by the emailed link or through the API)
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/ApprovalDecidedEvent'}
              responses: *eventResponses
          cost.emergency_override:
            post:
              operationId: costEmergencyOverrideEvent
              summary: An expert spent beyond the scope of action in an emergency, without waiting for approval
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/CostEmergencyOverrideEvent'}
              responses: *eventResponses
          trip.paid:
            post:
              operationId: tripPaidEvent
              summary: A LIGHT trip is paid; its service and cards count from now
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/TripPaidEvent'}
              responses: *eventResponses
          trip.released:
            post:
              operationId: tripReleasedEvent
              summary: An unpaid LIGHT trip was released at its 72-hour deadline (cancelled)
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/TripReleasedEvent'}
              responses: *eventResponses
          weather.alert:
            post:
              operationId: weatherAlertEvent
              summary: An official weather or hazard warning concerns some of the agency's travellers
              description: Once per alert message; an update comes again with `changes`. List the travellers concerned with `GET /alerts?kind=weather`.
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/WeatherAlertEvent'}
              responses: *eventResponses
          flight.disrupted:
            post:
              operationId: flightDisruptedEvent
              summary: A watched flight of the agency's travellers is cancelled, diverted, late past the threshold, or changes gate or terminal
              description: Once per flight and change, however many times the airline's status repeats it. The travellers are told and an assistance case is open (`caseID`).
              parameters: *eventHeaders
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/FlightDisruptedEvent'}
              responses: *eventResponses
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
            Invoice:
              type: object
              required: [id, number, kind, period, status, currency, totalMinor, billedMinor, paidMinor, refundedMinor, dueMinor, issuedAt, dueAt]
              properties:
                id: {type: string, format: uuid}
                number: {type: string}
                kind: {type: string, enum: [monthly, supplementary]}
                period: {type: string, description: The billed month, YYYY-MM}
                status: {type: string, enum: [issued, paid, cancelled]}
                currency: {type: string}
                totalMinor: {type: integer, description: As issued}
                billedMinor: {type: integer, description: What its lines bill now, less credit notes}
                paidMinor: {type: integer}
                refundedMinor: {type: integer}
                dueMinor: {type: integer}
                issuedAt: {type: string, format: date-time}
                dueAt: {type: string, format: date-time}
                lines:
                  type: array
                  description: Only when one invoice is read by its id
                  items:
                    type: object
                    required: [id, description, amountMinor, netMinor, dueAt, status]
                    properties:
                      id: {type: string, format: uuid}
                      tripID: {type: string, format: uuid}
                      description: {type: string}
                      amountMinor: {type: integer}
                      netMinor: {type: integer, description: Less the credit notes on this line}
                      dueAt: {type: string, format: date-time}
                      status: {type: string, enum: [open, paid, credited, cancelled]}
                creditNotes:
                  type: array
                  description: Only when one invoice is read by its id
                  items:
                    type: object
                    required: [id, number, amountMinor, currency, reason, issuedAt]
                    properties:
                      id: {type: string, format: uuid}
                      number: {type: string}
                      invoiceLineID: {type: string, format: uuid}
                      amountMinor: {type: integer}
                      currency: {type: string}
                      reason: {type: string}
                      issuedAt: {type: string, format: date-time}
            Credits:
              type: object
              required: [balanceMinor, currency, movements]
              properties:
                balanceMinor: {type: integer}
                currency: {type: string}
                movements:
                  type: array
                  items:
                    type: object
                    required: [id, transactionID, kind, amountMinor, currency, createdAt]
                    properties:
                      id: {type: string, format: uuid}
                      transactionID: {type: string, format: uuid}
                      kind: {type: string, enum: [earned, redeemed, exported, expired, reversed, refunded, commission_reversed]}
                      amountMinor: {type: integer, description: 'Positive: gained; negative: spent or lost'}
                      currency: {type: string}
                      memo: {type: string}
                      createdAt: {type: string, format: date-time}
                next: {type: string, description: The next page of movements; absent on the last page}
            MonthlyReport:
              type: object
              required: [month, timeZone, currency, casesOpened, casesResolved, committedByDomain, committedTotalMinor, approvals, overrides, overrideTotalMinor, satisfaction]
              properties:
                month: {type: string}
                timeZone: {type: string, description: The agency's zone, in which the month is counted}
                currency: {type: string}
                casesOpened: {type: integer}
                casesResolved: {type: integer}
                committedByDomain: {type: object, additionalProperties: {type: integer}}
                committedTotalMinor: {type: integer}
                approvals:
                  type: object
                  required: [pending, approved, denied, expired]
                  properties:
                    pending: {type: integer}
                    approved: {type: integer}
                    denied: {type: integer}
                    expired: {type: integer}
                medianMinutesToDecision: {type: integer}
                meanMinutesToDecision: {type: integer}
                overrides: {type: integer}
                overrideTotalMinor: {type: integer}
                satisfaction:
                  type: array
                  items:
                    type: object
                    required: [destination, cases, answers]
                    properties:
                      destination: {type: string}
                      cases: {type: integer}
                      answers: {type: integer}
                      satisfiedShare: {type: number}
                      averageRating: {type: number}
                      firstResponseMetShare: {type: number}
                      resolutionMetShare: {type: number}
            WebhookEndpointInput:
              type: object
              required: [url]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                url: {type: string, minLength: 1, maxLength: 500, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\x00\s]+$', description: 'The receiver''s absolute https:// address (http:// outside production); surrounding spaces are ignored'}
            WebhookRotationInput:
              type: object
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                previousSecretExpiresInHours: {type: [integer, 'null'], minimum: 0, maximum: 72, description: How long the previous secret keeps signing; 24 when left out}
            WebhookEndpoint:
              type: object
              required: [id, url, active, createdAt]
              properties:
                id: {type: string, format: uuid}
                url: {type: string}
                active: {type: boolean}
                createdAt: {type: string, format: date-time}
                deactivatedAt: {type: string, format: date-time}
                secretRotatedAt: {type: string, format: date-time}
                previousSecretExpiresAt: {type: string, format: date-time, description: While present the previous secret also signs}
                secret: {type: string, description: Only in the answers to creation and rotation}
            WebhookDelivery:
              type: object
              required: [id, type, status, attempts, createdAt]
              properties:
                id: {type: string, format: uuid, description: The OnSpot-Delivery header}
                endpointID: {type: string, format: uuid}
                type: {type: string}
                status: {type: string, enum: [pending, delivered, failed]}
                attempts: {type: integer, description: Attempts of the current series (a replay starts a new one)}
                lastResponseCode: {type: integer}
                lastError: {type: string}
                createdAt: {type: string, format: date-time}
                nextAttemptAt: {type: string, format: date-time}
                deliveredAt: {type: string, format: date-time}
                event: {$ref: '#/components/schemas/WebhookEnvelope'}
            WebhookEventType:
              type: string
              enum: [case.resolved, approval.requested, approval.decided, cost.emergency_override, trip.paid, trip.released, weather.alert, flight.disrupted]
            WebhookEnvelope:
              type: object
              description: The body of every webhook; `data` depends on `type` (see the document's webhooks). Values in `data` are strings.
              required: [id, type, createdAt, data]
              properties:
                id: {type: string, format: uuid, description: The delivery's id}
                type: {type: string}
                createdAt: {type: string, format: date-time}
                data: {type: object, additionalProperties: {type: string}}
            CaseResolvedEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: case.resolved}
                    data:
                      type: object
                      required: [caseID, tripId, traveller, reference, destination, summary, resolvedAt]
                      properties:
                        caseID: {type: string, format: uuid}
                        tripId: {type: string, description: The trip's id; empty for a case opened without a trip}
                        traveller: {type: string, description: The traveller's full name}
                        reference: {type: string, description: The agency's file reference}
                        destination: {type: string, description: The destination's name}
                        summary: {type: string, description: The expert's resolution summary}
                        resolvedAt: {type: string, format: date-time, description: In the agency's time zone}
            ApprovalRequestedEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: approval.requested}
                    data:
                      type: object
                      required: [approvalID, caseID, text, amountMinor, currency, expiresAt, inbox]
                      properties:
                        approvalID: {type: string, format: uuid}
                        caseID: {type: string}
                        text: {type: string, description: The exact text of the request}
                        amountMinor: {type: string, pattern: '^-?[0-9]+$', description: In minor units of the agency's currency, as digits}
                        currency: {type: string}
                        expiresAt: {type: string, format: date-time}
                        inbox: {type: string, description: The portal's page of the request}
            ApprovalDecidedEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: approval.decided}
                    data:
                      type: object
                      required: [approvalID, caseID, decision, via, comment]
                      properties:
                        approvalID: {type: string}
                        caseID: {type: string, format: uuid}
                        decision: {type: string, enum: [approved, denied, expired]}
                        via: {type: string, enum: [portal, email_link, api, '']}
                        comment: {type: string}
            CostEmergencyOverrideEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: cost.emergency_override}
                    data:
                      type: object
                      required: [caseID, costActionID, domain, supplier, purpose, amountMinor, currency, justification]
                      properties:
                        caseID: {type: string}
                        costActionID: {type: string}
                        domain: {type: string}
                        supplier: {type: string}
                        purpose: {type: string}
                        amountMinor: {type: string, pattern: '^-?[0-9]+$', description: In minor units of the agency's currency, as digits}
                        currency: {type: string}
                        justification: {type: string, description: Why the expert could not wait}
            TripPaidEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: trip.paid}
                    data:
                      type: object
                      required: [tripId, reference, paidMinor]
                      properties:
                        tripId: {type: string, format: uuid}
                        reference: {type: string}
                        paidMinor: {type: string, pattern: '^-?[0-9]+$', description: What the trip's payments came to, in minor units, as digits}
            TripReleasedEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: trip.released}
                    data:
                      type: object
                      required: [tripId, reference]
                      properties:
                        tripId: {type: string, format: uuid}
                        reference: {type: string}
            WeatherAlertEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: weather.alert}
                    data:
                      type: object
                      required: [alertID, event, severity, headline, area, expiresAt, changes, travellers, destinations]
                      properties:
                        alertID: {type: string, format: uuid}
                        event: {type: string, description: 'The official event, such as "Hurricane Warning"'}
                        severity: {type: string, enum: [Extreme, Severe, Moderate, Minor, Unknown]}
                        headline: {type: string}
                        area: {type: string, description: The official area's description}
                        expiresAt: {type: string, description: 'When it ends (UTC date-time); empty when the message gives no end'}
                        changes: {type: string, description: 'For an update: what it changed, comma-separated (severity, urgency, event, headline, instruction, expires, area); empty otherwise'}
                        travellers: {type: string, pattern: '^[0-9]+$', description: How many of the agency's travellers it concerns, as digits}
                        destinations: {type: string, description: The destinations concerned, comma-separated}
            FlightDisruptedEvent:
              allOf:
                - {$ref: '#/components/schemas/WebhookEnvelope'}
                - type: object
                  properties:
                    type: {const: flight.disrupted}
                    data:
                      type: object
                      required: [alertID, tripId, reference, caseID, flight, origin, destination, change, scheduledDeparture, estimatedDeparture, estimatedArrival, travellers]
                      properties:
                        alertID: {type: string, format: uuid}
                        tripId: {type: string, format: uuid}
                        reference: {type: string}
                        caseID: {type: string, description: The assistance case opened or updated}
                        flight: {type: string, description: 'Carrier and number, such as AF66'}
                        origin: {type: string, description: IATA code}
                        destination: {type: string, description: IATA code}
                        change: {type: string, enum: [cancelled, diverted, departure_delay, arrival_delay, gate_change, terminal_change]}
                        scheduledDeparture: {type: string, description: UTC date-time}
                        estimatedDeparture: {type: string, description: 'UTC date-time, best known; empty when unknown'}
                        estimatedArrival: {type: string, description: 'UTC date-time, best known; empty when unknown'}
                        travellers: {type: string, description: The travellers' full names, comma-separated}
            Alert:
              type: object
              required: [id, kind, event, headline, changes, told, createdAt]
              properties:
                id: {type: string, format: uuid}
                kind: {type: string, enum: [weather, flight]}
                event: {type: string, description: 'The official event ("Hurricane Warning") or the flight''s change (cancelled, diverted, departure_delay, arrival_delay, gate_change, terminal_change)'}
                severity: {type: string}
                headline: {type: string}
                detail: {type: string, description: The official instruction, or what the airline's status said}
                changes: {type: array, items: {type: string}, description: For an update of a weather alert, what it changed}
                tripID: {type: string, format: uuid}
                travellerID: {type: string, format: uuid}
                destination: {type: string, description: Destination code}
                caseID: {type: string, format: uuid}
                told: {type: boolean, description: Whether the traveller was sent a message}
                notTold:
                  type: [string, 'null']
                  enum: [no_consent, no_phone, no_line, abusive, null]
                  description: 'Why the traveller was not told: no consent to alerts (consentsToAlerts), no reachable WhatsApp number, no WhatsApp line at the destination, reported as abusive'
                startsAt: {type: string, format: date-time}
                endsAt: {type: string, format: date-time, description: 'A weather alert''s end (cancelled, expired or its expiry); a flight''s best known arrival'}
                createdAt: {type: string, format: date-time}
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
            NoNUL:
              description: Any JSON value whose texts, keys included, contain no NUL character (U+0000)
              pattern: '^[^\x00]*$'
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              items: {$ref: '#/components/schemas/NoNUL'}
            Blank:
              type: string
              description: Empty, or spaces and tabs only
              pattern: '^[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$'
            InstantInput:
              type: string
              format: date-time
              maxLength: 40
              pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
              description: ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+01:00
            CaseInstant:
              type: string
              format: date-time
              maxLength: 40
              pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$'
              description: ISO 8601 date-time with offset and without fractions of a second, e.g. 2026-06-01T10:00:00+02:00
            Decimal:
              type: number
              description: 'Read as a decimal: 0, or a magnitude from 1e-100 up to, not including, 1e100 (other numbers are refused with 422).'
              exclusiveMinimum: -1.0e+100
              exclusiveMaximum: 1.0e+100
              not: {exclusiveMinimum: -1.0e-100, exclusiveMaximum: 1.0e-100, not: {const: 0}}
            MoneyInput:
              type: object
              required: [amount, currency]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                amount: {allOf: [{$ref: '#/components/schemas/Decimal'}, {minimum: 0}], description: Major units, not negative}
                currency: {type: string, minLength: 3, maxLength: 3, pattern: '^[^\x00]*$', description: 'ISO 4217 (XDR for Special Drawing Rights)'}
            TravellerInput:
              type: object
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                firstName:
                  type: [string, 'null']
                  pattern: '^[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00]([^\x00]{0,98}[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00])?[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$'
                  description: Not blank; at most 100 characters once surrounding spaces are removed
                lastName:
                  type: [string, 'null']
                  pattern: '^[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00]([^\x00]{0,98}[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00])?[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$'
                  description: Not blank; at most 100 characters once surrounding spaces are removed
                dateOfBirth:
                  type: [string, 'null']
                  description: YYYY-MM-DD, a year from 1900 to 2100; blank removes it
                  anyOf:
                    - {$ref: '#/components/schemas/Blank'}
                    - format: date
                      pattern: '^((19[0-9]{2}|20[0-9]{2}|2100)-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))-02-29)$'
                phone:
                  type: [string, 'null']
                  description: 'E.164, e.g. +33612345678: a + (or 00) and 8 to 15 digits, not starting with 0; spaces, dots, dashes, slashes and parentheses are ignored; blank removes it'
                  anyOf:
                    - {$ref: '#/components/schemas/Blank'}
                    - maxLength: 32
                      pattern: '^[\t ]*(\+|00)[ .()/\u00a0-]*[1-9]([ .()/\u00a0-]*[0-9]){7,14}[ .()/\u00a0\t-]*$'
                email:
                  type: [string, 'null']
                  description: 'One @, a dot in the domain, no spaces; blank removes it'
                  anyOf:
                    - {$ref: '#/components/schemas/Blank'}
                    - {maxLength: 254, pattern: '^[^@\s\x00]+@[^@\s.\x00]+(\.[^@\s.\x00]+)+$'}
                language:
                  type: [string, 'null']
                  enum: [fr, en, pt, '', null]
                  description: Empty for the agency's language
                consentsToCallRecording: {type: [boolean, 'null'], default: true}
                consentsToRecommendations: {type: [boolean, 'null'], default: false}
                consentsToAlerts:
                  type: [boolean, 'null']
                  default: false
                  description: 'Flight disruptions and severe weather sent unasked on WhatsApp. Opt-in: ask the traveller (WhatsApp''s business policy and GDPR); writing STOP withdraws it'
            TripInput:
              type: object
              required: [destinations, departure, return, travellers]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                reference: {type: [string, 'null'], pattern: '^[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*([^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00]([^\x00]{0,62}[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00])?[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*)?$', description: 'At most 64 characters once surrounding spaces are removed'}
                destinations:
                  type: array
                  minItems: 1
                  maxItems: 10
                  description: Destination codes of the catalogue (such as us-nyc) in travel order; the last one is the final destination. Blank entries are ignored.
                  items: {type: string, pattern: '^[^\x00]*$'}
                departure: {$ref: '#/components/schemas/InstantInput'}
                arrival:
                  type: [string, 'null']
                  description: Arrival at the final destination, an ISO 8601 date-time with offset; empty or absent, the departure
                  anyOf:
                    - {maxLength: 0}
                    - {$ref: '#/components/schemas/InstantInput'}
                return: {$ref: '#/components/schemas/InstantInput'}
                notes: {type: [string, 'null'], maxLength: 4000, pattern: '^[^\x00]*$'}
                travellers:
                  type: array
                  minItems: 1
                  maxItems: 20
                  items:
                    allOf:
                      - {$ref: '#/components/schemas/TravellerInput'}
                      - required: [firstName, lastName]
                        properties:
                          firstName: {type: string}
                          lastName: {type: string}
            TripPatch:
              type: object
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                reference: {type: [string, 'null'], pattern: '^[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*([^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00]([^\x00]{0,62}[^\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00])?[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*)?$', description: 'At most 64 characters once surrounding spaces are removed; blank removes it'}
                destinations: {type: [array, 'null'], items: {type: string, pattern: '^[^\x00]*$'}, minItems: 1, maxItems: 10}
                departure: {type: [string, 'null'], format: date-time, maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$', description: 'ISO 8601 date-time with offset; null keeps the value'}
                arrival:
                  type: [string, 'null']
                  description: Empty for the departure
                  anyOf:
                    - {maxLength: 0}
                    - {$ref: '#/components/schemas/InstantInput'}
                return: {type: [string, 'null'], format: date-time, maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$', description: 'ISO 8601 date-time with offset; null keeps the value'}
                notes: {type: [string, 'null'], maxLength: 4000, pattern: '^[^\x00]*$', description: Empty removes them}
                travellers: {type: 'null', description: 'Travellers change through PATCH /travellers/{travellerID}: any value but null is refused (422)'}
            SegmentKind:
              type: string
              enum: [flight, stay, car_rental, transfer, train, bus, activity, other]
            SegmentTime:
              type: string
              maxLength: 40
              pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$'
              description: Local time in the segment's zone (2026-07-01T10:00, seconds optional) or with an explicit offset; empty for none
            SegmentTitle:
              type: string
              maxLength: 200
              pattern: '^[^\x00]*[^\x00\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00]*$'
              description: Not blank; at most 200 characters
            Segment:
              type: object
              required: [id, tripID, kind, title, source, createdAt]
              properties:
                id: {type: string, format: uuid}
                tripID: {type: string, format: uuid}
                kind: {$ref: '#/components/schemas/SegmentKind'}
                title: {type: string}
                startsAt: {type: string, format: date-time, description: 'In the segment''s zone, with its offset'}
                endsAt: {type: string, format: date-time}
                timeZone: {type: string, description: IANA zone}
                location: {type: string}
                supplier: {type: string}
                confirmation: {type: string}
                details: {type: string}
                source: {type: string, enum: [manual, extracted], description: 'Entered (portal or API) or accepted from a pasted document'}
                documentID: {type: string, format: uuid}
                createdAt: {type: string, format: date-time}
            SegmentInput:
              type: object
              required: [kind, title]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                kind: {$ref: '#/components/schemas/SegmentKind'}
                title: {$ref: '#/components/schemas/SegmentTitle'}
                startsAt: {type: [string, 'null'], maxLength: 40, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$', description: 'Local time in the segment''s zone (2026-07-01T10:00, seconds optional) or with an explicit offset; empty or null for none'}
                endsAt: {type: [string, 'null'], maxLength: 40, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$', description: 'Local time in the segment''s zone (2026-07-01T10:00, seconds optional) or with an explicit offset; empty or null for none'}
                timeZone: {type: [string, 'null'], maxLength: 64, pattern: '^[^\x00]*$', description: 'IANA zone; unknown ones are refused (422)'}
                location: {type: [string, 'null'], maxLength: 300, pattern: '^[^\x00]*$'}
                supplier: {type: [string, 'null'], maxLength: 200, pattern: '^[^\x00]*$'}
                confirmation: {type: [string, 'null'], maxLength: 100, pattern: '^[^\x00]*$'}
                details: {type: [string, 'null'], maxLength: 4000, pattern: '^[^\x00]*$'}
            SegmentPatch:
              type: object
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                kind: {oneOf: [{$ref: '#/components/schemas/SegmentKind'}, {type: 'null'}]}
                title: {oneOf: [{$ref: '#/components/schemas/SegmentTitle'}, {type: 'null'}]}
                startsAt: {type: [string, 'null'], maxLength: 40, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$', description: 'Local time in the segment''s zone (2026-07-01T10:00, seconds optional) or with an explicit offset; empty or null for none'}
                endsAt: {type: [string, 'null'], maxLength: 40, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$', description: 'Local time in the segment''s zone (2026-07-01T10:00, seconds optional) or with an explicit offset; empty or null for none'}
                timeZone: {type: [string, 'null'], maxLength: 64, pattern: '^[^\x00]*$', description: 'IANA zone; empty for the trip''s final destination'}
                location: {type: [string, 'null'], maxLength: 300, pattern: '^[^\x00]*$'}
                supplier: {type: [string, 'null'], maxLength: 200, pattern: '^[^\x00]*$'}
                confirmation: {type: [string, 'null'], maxLength: 100, pattern: '^[^\x00]*$'}
                details: {type: [string, 'null'], maxLength: 4000, pattern: '^[^\x00]*$'}
            Case:
              type: object
              required: [id, category, status, openedAt, sla, costs, approvals]
              properties:
                id: {type: string, format: uuid}
                tripID: {type: string, format: uuid}
                travellerID: {type: string, format: uuid}
                destination: {type: string, description: Destination code}
                category: {type: string, enum: [car_rental, flight_disruption, accommodation, itinerary_change, lost_items, booking_error, payment_on_site, information, activity_booking, medical_emergency, other]}
                status: {type: string, enum: [new, in_progress, waiting_for_traveller, waiting_for_agency, resolved]}
                openedAt: {type: string, format: date-time}
                firstResponseAt: {type: string, format: date-time}
                resolvedAt: {type: string, format: date-time}
                sla:
                  type: object
                  description: The agency's plan's targets, counted in the destination's opening hours; a met flag is absent until known
                  properties:
                    firstResponseDue: {type: string, format: date-time}
                    firstResponseMet: {type: boolean}
                    resolutionDue: {type: string, format: date-time}
                    resolutionMet: {type: boolean}
                resolutionSummary: {type: string}
                costs:
                  type: array
                  items:
                    type: object
                    required: [id, domain, supplier, purpose, amountMinor, currency, agencyAmountMinor, agencyCurrency, outcome, bookingChange, createdAt]
                    properties:
                      id: {type: string, format: uuid}
                      domain: {type: string}
                      supplier: {type: string}
                      purpose: {type: string}
                      amountMinor: {type: integer}
                      currency: {type: string}
                      agencyAmountMinor: {type: integer, description: 'In the agency''s currency, as its scope of action counts it'}
                      agencyCurrency: {type: string}
                      outcome: {type: string, enum: [allowed, needs_approval, not_allowed, emergency_override]}
                      bookingChange: {type: boolean}
                      createdAt: {type: string, format: date-time}
                approvals: {type: array, items: {$ref: '#/components/schemas/Approval'}}
                satisfaction:
                  type: object
                  required: [rating]
                  properties:
                    rating: {type: integer, minimum: 1, maximum: 3, description: 1 unhappy, 2 neutral, 3 happy}
                    comment: {type: string}
                    answeredAt: {type: string, format: date-time}
            DocumentInput:
              type: object
              required: [text]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                text: {type: string, pattern: '^[^\x00]*$', description: 'The document''s text, at most 200,000 characters; empty, blank or longer is refused (422)'}
                title: {type: [string, 'null'], maxLength: 200, pattern: '^[^\x00]*$'}
            DocumentFileInput:
              type: object
              required: [file]
              properties:
                file: {type: string, contentMediaType: application/octet-stream, description: 'The file, at most 10 MB, with its filename'}
                title: {type: string, maxLength: 200, pattern: '^[^\x00]*$', description: The file's name when none is given}
            AcceptProposals:
              type: object
              required: [proposals]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                proposals: {type: array, minItems: 1, items: {type: integer, minimum: 0, maximum: 1000000}}
            Document:
              type: object
              required: [id, tripID, createdAt, text, proposals]
              properties:
                id: {type: string, format: uuid}
                tripID: {type: string, format: uuid}
                title: {type: string}
                createdAt: {type: string, format: date-time}
                text: {type: string, description: 'What extraction read: the text posted, or the text read from the file'}
                file:
                  type: object
                  description: Present when the document was posted as a file
                  required: [kind, mediaType, size, url]
                  properties:
                    kind: {type: string, enum: [text, pdf, email, wallet_pass, image]}
                    name: {type: string}
                    mediaType: {type: string}
                    size: {type: integer, minimum: 1}
                    url: {type: string, description: Where the file is downloaded (getDocumentFile)}
                proposals:
                  type: array
                  items:
                    type: object
                    required: [index, kind, title]
                    properties:
                      index: {type: integer, minimum: 0}
                      kind: {$ref: '#/components/schemas/SegmentKind'}
                      title: {type: string}
                      startsAt: {type: string, description: 'As the document gives it: with an offset, a local time, or a day'}
                      endsAt: {type: string}
                      timeZone: {type: string}
                      location: {type: string}
                      supplier: {type: string}
                      confirmation: {type: string}
                      details: {type: string}
                      segmentID: {type: string, format: uuid, description: The itinerary segment it became, once accepted}
                      foundBy:
                        type: array
                        description: 'The layers of extraction that found it: ours (`onspot`), KDE''s KItinerary given the provider the document names (`kitinerary`), or both'
                        items: {type: string, enum: [onspot, kitinerary]}
                      alternatives:
                        type: object
                        description: 'Where KItinerary read another value than ours, by field path (ours is the proposal''s): for the reviewer'
                        additionalProperties: {type: string}
                      missing:
                        type: array
                        description: 'A partial proposal: the fields the document did not give (checkoutTime, pickupTime, name…), to complete once accepted'
                        items: {type: string}
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
              required: [id, firstName, lastName, language, consentsToCallRecording, consentsToRecommendations, consentsToAlerts]
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
                consentsToAlerts: {type: boolean}
                assistanceCardUrl: {type: [string, 'null'], format: uri, description: Present when read through a trip}
            Trip:
              type: object
              required: [id, status, phase, destinations, departure, arrival, return, serviceWindow, plan, refundState, payment, travellers, createdAt, updatedAt]
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
                refundState:
                  type: string
                  enum: [not_applicable, pending, refunded, not_refundable, credited]
                  description: >-
                    After a cancellation (article 5): not_applicable when nothing was paid or billed; pending while money
                    is on its way back; refunded once it is back (to the card, or as credits as the agency chose);
                    credited when a credit note only cancelled what was still owed; not_refundable after the notice.
                payment:
                  type: object
                  description: >-
                    LIGHT pays at registration: while payment_required, the travellers have no assistance card (their
                    assistanceCardUrl is null) and no service; paymentUrl is the portal's payment page. Unpaid 72 hours
                    before departure, the trip is released (cancelled; state unpaid). The trip.paid webhook announces the
                    payment, trip.released the release.
                  required: [state]
                  properties:
                    state: {type: string, enum: [payment_required, paid, unpaid, invoiced]}
                    paymentUrl: {type: [string, 'null'], format: uri}
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
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                journey: {type: array, minItems: 2, maxItems: 10, items: {type: string, pattern: '^[A-Za-z]{3}$', description: IATA airport code}}
                operatingCarrier: {type: [string, 'null'], minLength: 2, maxLength: 2, pattern: '^[^\x00]*$', description: IATA airline code}
                carrier:
                  type: [object, 'null']
                  propertyNames: {pattern: '^[^\x00]*$'}
                  additionalProperties: {$ref: '#/components/schemas/NoNUL'}
                  properties:
                    country: {type: [string, 'null'], pattern: '^[^\x00]*$'}
                    canadaSize: {type: [string, 'null'], enum: [large, small, null]}
                event: {type: string, enum: [delay, cancellation, denied_boarding]}
                scheduledDeparture: {$ref: '#/components/schemas/CaseInstant'}
                scheduledArrival: {$ref: '#/components/schemas/CaseInstant'}
                actualArrival:
                  type: [string, 'null']
                  description: Required for a delay
                  anyOf:
                    - {maxLength: 0}
                    - {$ref: '#/components/schemas/CaseInstant'}
                noticeDays: {type: [integer, 'null'], minimum: 0, maximum: 400}
                reroute:
                  type: [object, 'null']
                  propertyNames: {pattern: '^[^\x00]*$'}
                  additionalProperties: {$ref: '#/components/schemas/NoNUL'}
                  properties:
                    departure:
                      type: [string, 'null']
                      anyOf:
                        - {maxLength: 0}
                        - {$ref: '#/components/schemas/CaseInstant'}
                    arrival:
                      type: [string, 'null']
                      anyOf:
                        - {maxLength: 0}
                        - {$ref: '#/components/schemas/CaseInstant'}
                cause: {type: [string, 'null'], enum: [technical, crew, airline_staff_strike, overbooking, it_failure, atc, atc_strike, weather, bird_strike, security, airport_closure, unknown, null]}
                fare: {oneOf: [{$ref: '#/components/schemas/MoneyInput'}, {type: 'null'}]}
                provenLoss: {oneOf: [{$ref: '#/components/schemas/MoneyInput'}, {type: 'null'}]}
                passengerChoice: {type: [string, 'null'], enum: [reroute, refund, null]}
                voluntary: {type: [boolean, 'null']}
              if:
                required: [event]
                properties:
                  event: {const: delay}
              then:
                required: [actualArrival]
                properties:
                  actualArrival: {$ref: '#/components/schemas/CaseInstant'}
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
            ConditionDate:
              type: [string, 'null']
              description: 'YYYY-MM-DD, or an ISO 8601 date-time with offset (no fractions of a second) where hours matter'
              anyOf:
                - {format: date, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'}
                - {$ref: '#/components/schemas/CaseInstant'}
            ConditionsRequest:
              type: object
              required: [pack, event]
              propertyNames: {pattern: '^[^\x00]*$'}
              additionalProperties: {$ref: '#/components/schemas/NoNUL'}
              properties:
                pack: {type: string, pattern: '^[^\x00]*$', description: 'A shipped pack (onspot-cgv, lastminute-sejour, mnk-weopera, onbusiness) or one the agency uploaded', examples: [onspot-cgv, lastminute-sejour, mnk-weopera, onbusiness]}
                event: {type: string, pattern: '^[^\x00]*$', description: An event of the pack, examples: [registration, service_cancellation, traveller_cancellation, points_claim]}
                eventDate: {$ref: '#/components/schemas/ConditionDate'}
                bookingDate: {$ref: '#/components/schemas/ConditionDate'}
                departure: {$ref: '#/components/schemas/ConditionDate'}
                arrival: {$ref: '#/components/schemas/ConditionDate'}
                returnDate: {$ref: '#/components/schemas/ConditionDate'}
                travelDate: {$ref: '#/components/schemas/ConditionDate'}
                lastIncreaseDate: {$ref: '#/components/schemas/ConditionDate'}
                issueDate: {$ref: '#/components/schemas/ConditionDate'}
                price: {oneOf: [{$ref: '#/components/schemas/MoneyInput'}, {type: 'null'}]}
                plan: {type: [string, 'null'], pattern: '^[^\x00]*$', description: LIGHT or PLUS where the event depends on the plan}
                increasePercent: {oneOf: [{$ref: '#/components/schemas/Decimal'}, {type: 'null'}]}
                supplierRefund: {oneOf: [{$ref: '#/components/schemas/MoneyInput'}, {type: 'null'}]}
                refundableTaxes: {oneOf: [{$ref: '#/components/schemas/MoneyInput'}, {type: 'null'}]}
                reason: {type: [string, 'null'], pattern: '^[^\x00]*$', description: One of the reasons the event lists}
                newAccount: {type: [boolean, 'null']}
                passengerAge: {type: [integer, 'null'], minimum: -9223372036854775808, maximum: 9223372036854775807}
                amount: {oneOf: [{$ref: '#/components/schemas/Decimal'}, {type: 'null'}]}
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
