import Fluent
import SQLKit

/// Confirmations posted as files (issue 21): the document says what it was read from; the file itself is kept verbatim
/// in its own table, so that listing and reading documents never loads megabytes of PDF.
struct M036_DocumentFiles: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("pasted_documents").field("file_kind", .string).update()
        try await db.schema("pasted_documents").field("file_name", .string).update()
        try await db.schema("pasted_documents").field("media_type", .string).update()
        try await db.schema("pasted_documents").field("file_size", .int).update()
        try await db.schema("document_files")
            .field("id", .uuid, .identifier(auto: false), .references("pasted_documents", "id", onDelete: .cascade))
            .field("data", .data, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("document_files").delete()
        for column in ["file_kind", "file_name", "media_type", "file_size"] {
            try await db.schema("pasted_documents").deleteField(.key(.string(column))).update()
        }
    }
}
