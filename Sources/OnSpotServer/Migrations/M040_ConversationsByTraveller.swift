import Fluent
import SQLKit

/// An alert looks for the traveller's open Messenger thread by traveller (additive).
struct M040_ConversationsByTraveller: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_conversations_traveller").on("conversations").column("traveller_id").column("channel").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_conversations_traveller").run()
    }
}
