import Fluent
import Foundation
import SQLKit

/// Commissions credited one by one at the cent in the agency's currency, with the exchange rate used (additive).
/// Commissions from before were credited by 5 € tranches: they are marked credited, and each agency receives the
/// remainder the tranches held back, so no cent earned is lost and none is credited twice.
struct M016_CommissionCredits: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        for (name, type) in [
            ("credited_minor", DatabaseSchema.DataType.int64), ("credit_currency", .string), ("exchange_rate", .string), ("credited_at", .datetime)
        ] {
            try await db.schema("commissions").field(.string(name), type).update()
        }
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_commissions_pending").on("commissions").column("agency_id").column("credited_at").run()
        try await Self.settleFormerTranches(sql)
    }

    /// The former tranches held back each agency's remainder: granted now, and every commission of before marked
    /// credited (at rate 1: the former code credited every currency as the agency's).
    static func settleFormerTranches(_ sql: any SQLDatabase) async throws {
        let rows = try await sql.raw(
            """
            SELECT c.agency_id AS agency_id, CAST(SUM(c.amount_minor) AS BIGINT) AS earned, MIN(c.currency) AS currency,
              (SELECT CAST(COALESCE(SUM(e.amount_minor), 0) AS BIGINT) FROM credit_ledger_entries e
                WHERE e.agency_id = c.agency_id AND e.kind = 'earned' AND e.account LIKE 'agency:%') AS credited
            FROM commissions c WHERE c.credited_at IS NULL GROUP BY c.agency_id
            """
        ).all()
        let now = AppClock.now
        for row in rows {
            let agencyID = try row.decode(column: "agency_id", as: UUID.self)
            let remainder = try row.decode(column: "earned", as: Int64.self) - row.decode(column: "credited", as: Int64.self)
            let currency = try row.decode(column: "currency", as: String.self)
            guard remainder > 0 else { continue }
            let transaction = UUID()
            for (account, amount) in [("agency:\(agencyID.uuidString.lowercased()):credits", remainder), ("onspot:commission_expense", -remainder)] {
                try await sql.insert(into: "credit_ledger_entries")
                    .columns("id", "transaction_id", "agency_id", "account", "amount_minor", "currency", "kind", "memo", "created_at")
                    .values(
                        SQLBind(UUID()), SQLBind(transaction), SQLBind(agencyID), SQLBind(account), SQLBind(amount), SQLBind(currency),
                        SQLBind("earned"), SQLBind("commissions: remainder of the former 5 € tranches"), SQLBind(now)
                    ).run()
            }
        }
        try await sql.update("commissions").set("credited_minor", to: SQLColumn("amount_minor"))
            .set("credit_currency", to: SQLColumn("currency")).set("exchange_rate", to: SQLBind("1"))
            .set("credited_at", to: SQLColumn("created_at")).where("credited_at", .is, SQLLiteral.null).run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_commissions_pending").run() }
        for name in ["credited_at", "exchange_rate", "credit_currency", "credited_minor"] {
            try await db.schema("commissions").deleteField(.string(name)).update()
        }
    }
}
