import Fluent
import Foundation
import OnSpotCore
import SQLKit

/// Exchange rates as admin-edited data, and what approvals need beyond M001: the case, the link's recipient,
/// reminder and escalation marks. One column per update: SQLite adds columns one statement at a time.
struct M007_CostsAndApprovals: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("exchange_rates").id()
            .field("from_currency", .string, .required).field("to_currency", .string, .required)
            .field("rate", .string, .required).field("updated_at", .datetime, .required).field("updated_by", .uuid)
            .unique(on: "from_currency", "to_currency").create()
        try await db.schema("approvals").field("case_id", .uuid).update()
        try await db.schema("approvals").field("requested_by", .uuid).update()
        try await db.schema("approvals").field("decided_by_email", .string).update()
        try await db.schema("approvals").field("reminded_at", .datetime).update()
        try await db.schema("approvals").field("escalated_at", .datetime).update()
        try await db.schema("cost_actions").field("reason", .string).update()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_approvals_status_created").on("approvals").column("status").column("created_at").run()
            try await sql.create(index: "idx_approvals_case").on("approvals").column("case_id").run()
            try await sql.create(index: "idx_cost_actions_agency_created").on("cost_actions").column("agency_id").column("created_at").run()
            try await sql.create(index: "idx_cases_agency_opened").on("cases").column("agency_id").column("opened_at").run()
        }
        // Rates to the agencies' currencies for the destinations' currencies; an OnSpot admin keeps them current.
        let seed: [(CurrencyCode, CurrencyCode, String)] = [
            (.USD, .EUR, "0.92"), (.CAD, .EUR, "0.66"), (.MXN, .EUR, "0.051"), (.AUD, .EUR, "0.60"), (.NZD, .EUR, "0.55"),
            (.BRL, .EUR, "0.17"), (.BSD, .EUR, "0.92"), (.GBP, .EUR, "1.17"), (.CHF, .EUR, "1.06")
        ]
        for (from, to, rate) in seed {
            let r = ExchangeRateRecord()
            r.fromCurrency = from; r.toCurrency = to; r.rate = rate; r.updatedAt = AppClock.now
            try await r.create(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("exchange_rates").delete()
        for field in ["case_id", "requested_by", "decided_by_email", "reminded_at", "escalated_at"] {
            try await db.schema("approvals").deleteField(.string(field)).update()
        }
        try await db.schema("cost_actions").deleteField("reason").update()
    }
}
