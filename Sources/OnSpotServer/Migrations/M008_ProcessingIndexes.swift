import Fluent
import SQLKit

/// Indexes the inbound processing reads on every message: the open case of a conversation, and the conversation of
/// a sender at a destination.
struct M008_ProcessingIndexes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_cases_conversation").on("cases").column("conversation_id").column("status").run()
        try await sql.create(index: "idx_conversations_sender_destination").on("conversations")
            .column("channel").column("external_user_id").column("destination_id").run()
        try await sql.create(index: "idx_messages_conversation_kind").on("messages").column("conversation_id").column("kind").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for name in ["idx_cases_conversation", "idx_conversations_sender_destination", "idx_messages_conversation_kind"] {
            try await sql.drop(index: name).run()
        }
    }
}
