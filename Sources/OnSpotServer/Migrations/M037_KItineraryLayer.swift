import Fluent

/// The second extraction layer (issue 21): what KItinerary found in a document, kept with it so that its proposals
/// read the same each time, and the provider scripts it was given.
struct M037_KItineraryLayer: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("pasted_documents").field("kitinerary_output", .string).update()
        try await db.schema("pasted_documents").field("kitinerary_extractors", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pasted_documents").deleteField("kitinerary_output").update()
        try await db.schema("pasted_documents").deleteField("kitinerary_extractors").update()
    }
}
