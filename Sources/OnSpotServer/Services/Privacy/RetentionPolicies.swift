import Fluent
import Foundation
import OnSpotCore

/// Retention durations as data: the bounds an OnSpot admin set (standard ones where none were set) and each agency's
/// choice within them.
enum RetentionPolicies {
    static func bounds(on db: any Database) async throws -> [RetentionCategory: RetentionBounds] {
        var result = Dictionary(uniqueKeysWithValues: RetentionCategory.allCases.map { ($0, RetentionBounds.standard($0)) })
        for row in try await RetentionBoundsRecord.query(on: db).all() { result[row.category] = row.bounds }
        return result
    }

    /// The months in force for each of `agencyIDs`, every category filled (one query for all of them).
    static func months(
        for agencyIDs: [UUID], bounds: [RetentionCategory: RetentionBounds], on db: any Database
    ) async throws -> [UUID: [RetentionCategory: Int]] {
        var chosen: [UUID: [RetentionCategory: Int]] = [:]
        for slice in agencyIDs.chunked(500) {
            for row in try await RetentionPolicyRecord.query(on: db).filter(\.$agencyID ~~ Array(slice)).all() {
                chosen[row.agencyID, default: [:]][row.category] = row.months
            }
        }
        var result: [UUID: [RetentionCategory: Int]] = [:]
        for id in agencyIDs {
            result[id] = Dictionary(
                uniqueKeysWithValues: RetentionCategory.allCases.map { c in
                    (c, (bounds[c] ?? .standard(c)).effective(chosen[id]?[c]))
                })
        }
        return result
    }

    static func months(for agencyID: UUID, on db: any Database) async throws -> [RetentionCategory: Int] {
        let bounds = try await bounds(on: db)
        return try await months(for: [agencyID], bounds: bounds, on: db)[agencyID] ?? [:]
    }

    /// What travellers' data with no agency (a sender nobody identified) is kept for: the defaults.
    static func platformMonths(_ bounds: [RetentionCategory: RetentionBounds]) -> [RetentionCategory: Int] {
        Dictionary(uniqueKeysWithValues: RetentionCategory.allCases.map { ($0, (bounds[$0] ?? .standard($0)).defaultMonths) })
    }
}
