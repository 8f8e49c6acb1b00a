import Foundation

/// The `onspot rights` contract: one case, or an array of cases, as JSON in; the assessment(s) as JSON out.
public enum RightsJSON {
    public static let maximumInputBytes = 1_000_000

    public struct Failure: Error, Codable, Sendable {
        public var error: String
        public var errors: [FieldError]?
    }

    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }

    /// Returns the output document and whether every case was assessed.
    public static func process(_ input: Data) -> (Data, Bool) {
        guard input.count <= maximumInputBytes else {
            return (try! encoder().encode(Failure(error: "Input larger than \(maximumInputBytes) bytes.")), false)
        }
        let trimmed = String(decoding: input.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("[") {
            let cases: [DisruptionCase]
            do { cases = try JSONDecoder().decode([DisruptionCase].self, from: input) } catch {
                return (try! encoder().encode(Failure(error: describe(error))), false)
            }
            var ok = true
            let results: [Either] = cases.map { c in
                do { return .assessment(try RightsCalculator.assess(c)) } catch {
                    ok = false
                    return .failure(failure(error))
                }
            }
            return (try! encoder().encode(results), ok)
        }
        do {
            let c = try JSONDecoder().decode(DisruptionCase.self, from: input)
            return (try encoder().encode(try RightsCalculator.assess(c)), true)
        } catch {
            return (try! encoder().encode(failure(error)), false)
        }
    }

    enum Either: Encodable {
        case assessment(RightsAssessment)
        case failure(Failure)
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .assessment(let a): try a.encode(to: encoder)
            case .failure(let f): try f.encode(to: encoder)
            }
        }
    }

    static func failure(_ error: any Error) -> Failure {
        if case RightsError.invalid(let errors) = error { return Failure(error: "Invalid case.", errors: errors) }
        return Failure(error: describe(error))
    }

    public static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "The input could not be read." }
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch decoding {
        case .keyNotFound(let key, let ctx): return "Missing field '\(path(ctx.codingPath + [key]))'."
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "Wrong or missing value for '\(path(ctx.codingPath))'."
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "The input is not valid JSON." : "Invalid value for '\(path(ctx.codingPath))'."
        @unknown default: return "The input could not be read."
        }
    }
}
