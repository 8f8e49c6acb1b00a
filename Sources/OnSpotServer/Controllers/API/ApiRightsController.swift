import Foundation
import OnSpotCore
import Vapor

/// `POST /api/v1/rights/assessments`: the same JSON as `onspot rights`, one case per request.
enum ApiRightsController {
    @Sendable static func assess(req: Request) async throws -> Response {
        try DecimalRange.check(req, fields: ["fare.amount", "provenLoss.amount"])
        let input = try req.content.decode(DisruptionCase.self)
        do {
            let assessment = try RightsCalculator.assess(input)
            let response = Response(status: .ok, body: .init(data: try RightsJSON.encoder().encode(assessment)))
            response.headers.contentType = .json
            return response
        } catch RightsError.invalid(let errors) {
            throw Problem(.unprocessableEntity, "validation", "Invalid case", detail: errors.first?.message, errors: errors)
        }
    }
}

/// Amounts and percentages are read as decimals, which cannot hold every JSON number (1e-129 and 1e128 fail to
/// decode). The API states one plain range instead: 0, or a magnitude from 1e-100 to below 1e100; any other number
/// in these fields is refused with 422 before decoding, as the OpenAPI document's `Decimal` schema says.
enum DecimalRange {
    static let smallest = 1e-100
    static let limit = 1e100

    static func contains(_ value: Double) -> Bool {
        let magnitude = abs(value)
        return (value == 0 || magnitude >= smallest) && magnitude < limit
    }

    /// `fields` are dotted paths into the JSON object body; bodies that are not JSON objects are left to the decoder.
    static func check(_ req: Request, fields: [String]) throws {
        guard let buffer = req.body.data, buffer.readableBytes > 0,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else { return }
        var errors: [FieldError] = []
        for field in fields {
            var value: Any? = object
            for key in field.split(separator: ".") { value = (value as? [String: Any])?[String(key)] }
            guard let number = value as? NSNumber, !(value is String) else { continue }
            if !contains(number.doubleValue) {
                errors.append(FieldError(field: field, message: "A number of magnitude from 1e-100 to below 1e100, or 0."))
            }
        }
        if !errors.isEmpty {
            throw Problem(.unprocessableEntity, "validation", "Number out of range", detail: errors[0].message, errors: errors)
        }
    }
}

struct ConditionsEngineKey: StorageKey { typealias Value = ConditionsEngine }

/// `POST /api/v1/conditions/assessments`: the same JSON as `onspot conditions assess`, one request per call.
enum ApiConditionsController {
    @Sendable static func assess(req: Request) async throws -> Response {
        let engine = try await RulePacksController.engine(for: try req.apiAgency.requireID(), on: req)
        try DecimalRange.check(req, fields: ["price.amount", "supplierRefund.amount", "refundableTaxes.amount", "increasePercent", "amount"])
        let input = try req.content.decode(ConditionsRequest.self)
        do {
            let result = try engine.assess(input)
            let response = Response(status: .ok, body: .init(data: try RightsJSON.encoder().encode(result)))
            response.headers.contentType = .json
            return response
        } catch {
            let failure = ConditionsJSON.describe(error, engine: engine)
            throw Problem(.unprocessableEntity, "validation", "Cannot assess", detail: failure.error, errors: failure.errors)
        }
    }
}

/// `POST /api/v1/extractions`: the reservations found in a pasted confirmation, as `onspot extract` prints them.
enum ApiExtractionsController {
    struct Input: Content {
        var text: String
        /// The day the document was received, YYYY-MM-DD: years are inferred from it (today when absent).
        var contextDate: String?
    }

    @Sendable static func extract(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        var context = req.now
        if let text = input.contextDate {
            guard let date = Extraction.contextDate(text) else {
                throw Problem(
                    .unprocessableEntity, "validation", "Invalid context date",
                    errors: [FieldError(field: "contextDate", message: "Expected YYYY-MM-DD.")])
            }
            context = date
        }
        let found: [JSONValue]
        do { found = try Extraction.extract(input.text, contextDate: context) } catch Extraction.Failure.tooLarge(let limit) {
            throw Problem(.payloadTooLarge, "too-large", "Text too large", detail: "At most \(limit) bytes of text.")
        }
        let response = Response(status: .ok, body: .init(data: try RightsJSON.encoder().encode(found)))
        response.headers.contentType = .json
        return response
    }
}
