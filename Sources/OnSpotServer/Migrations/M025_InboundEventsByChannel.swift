import Fluent
import SQLKit

/// Raw webhook bodies by channel and time (additive): an erasure looks for the status callbacks that name a person
/// within the weeks their messages were exchanged, not through the whole table.
struct M025_InboundEventsByChannel: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_inbound_events_channel_received").on("inbound_events").column("channel").column("received_at").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_inbound_events_channel_received").run() }
    }
}
