import Fluent

/// When a traveller was erased (additive): the row stays, so trips, cases and invoices keep their facts, without the person.
struct M023_Erasure: AsyncMigration {
    func prepare(on db: any Database) async throws { try await db.schema("travellers").field("erased_at", .datetime).update() }
    func revert(on db: any Database) async throws { try await db.schema("travellers").deleteField("erased_at").update() }
}
