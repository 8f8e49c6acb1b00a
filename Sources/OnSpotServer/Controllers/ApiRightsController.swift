import Foundation
import OnSpotCore
import Vapor

/// `POST /api/v1/rights/assessments`: the same JSON as `onspot rights`, one case per request.
enum ApiRightsController {
    @Sendable static func assess(req: Request) async throws -> Response {
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

struct ConditionsEngineKey: StorageKey { typealias Value = ConditionsEngine }

/// `POST /api/v1/conditions/assessments`: the same JSON as `onspot conditions assess`, one request per call.
enum ApiConditionsController {
    @Sendable static func assess(req: Request) async throws -> Response {
        let engine = try await RulePacksController.engine(for: try req.apiAgency.requireID(), on: req)
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
