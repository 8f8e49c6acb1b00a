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
