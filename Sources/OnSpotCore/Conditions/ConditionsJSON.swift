import Foundation

/// The `onspot conditions` contract: `assess` reads a request (or an array) and writes the assessment(s); `list` the packs.
public enum ConditionsJSON {
    public static func describe(_ error: any Error, engine: ConditionsEngine) -> RightsJSON.Failure {
        switch error {
        case ConditionsError.unknownPack(let id):
            return .init(
                error: "Unknown pack '\(id.prefix(64))'. Packs: \(engine.packs.keys.sorted().joined(separator: ", ")).",
                errors: [FieldError(field: "pack", message: "Unknown pack.")])
        case let ConditionsError.unknownEvent(pack, event, known):
            return .init(
                error: "Pack '\(pack)' has no event '\(event.prefix(64))'. Events: \(known.joined(separator: ", ")).",
                errors: [FieldError(field: "event", message: "Unknown event for this pack.")])
        case let ConditionsError.noVersion(pack, date):
            return .init(error: "No version of '\(pack)' is in force on \(date).", errors: nil)
        case ConditionsError.invalid(let errors):
            return .init(error: "Invalid request.", errors: errors)
        default:
            return .init(error: RightsJSON.describe(error), errors: nil)
        }
    }

    public static func assess(_ input: Data, engine: ConditionsEngine) -> (Data, Bool) {
        let encoder = RightsJSON.encoder()
        guard input.count <= RightsJSON.maximumInputBytes else {
            return (try! encoder.encode(RightsJSON.Failure(error: "Input larger than \(RightsJSON.maximumInputBytes) bytes.")), false)
        }
        let head = String(decoding: input.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            if head.hasPrefix("[") {
                let requests = try JSONDecoder().decode([ConditionsRequest].self, from: input)
                var ok = true
                let items: [Either] = requests.map { r in
                    do { return .assessment(try engine.assess(r)) } catch {
                        ok = false
                        return .failure(describe(error, engine: engine))
                    }
                }
                return (try encoder.encode(items), ok)
            }
            let request = try JSONDecoder().decode(ConditionsRequest.self, from: input)
            return (try encoder.encode(try engine.assess(request)), true)
        } catch {
            return (try! encoder.encode(describe(error, engine: engine)), false)
        }
    }

    enum Either: Encodable {
        case assessment(ConditionsAssessment)
        case failure(RightsJSON.Failure)
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .assessment(let a): try a.encode(to: encoder)
            case .failure(let f): try f.encode(to: encoder)
            }
        }
    }

    public struct PackSummary: Codable, Sendable {
        public var id: String
        public var title: String
        public var currency: String
        public var versions: [VersionSummary]
    }

    public struct VersionSummary: Codable, Sendable {
        public var version: String
        public var effectiveFrom: String
        public var effectiveTo: String?
        public var source: String
        public var events: [String]
    }

    public static func list(_ engine: ConditionsEngine) -> Data {
        let day = ConditionDate(instant: Date(timeIntervalSince1970: 0), offset: nil)  // only its day formatter is used
        let packs = engine.packs.values.sorted { $0.id < $1.id }.map { p in
            PackSummary(
                id: p.id, title: p.title, currency: p.currency,
                versions: p.versions.map { v in
                    VersionSummary(
                        version: v.version, effectiveFrom: day.format(v.effectiveFrom), effectiveTo: v.effectiveTo.map(day.format),
                        source: v.source, events: v.events.keys.sorted())
                })
        }
        return try! RightsJSON.encoder().encode(packs)
    }
}
