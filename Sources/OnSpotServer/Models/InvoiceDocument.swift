import Fluent
import Foundation

/// An invoice as the PDF the agency downloaded first: rendered once, then served unchanged (an issued invoice is a
/// document, not a page that follows later changes of the code or the data).
final class InvoiceDocument: Model, @unchecked Sendable {
    static let schema = "invoice_documents"
    @ID(key: .id) var id: UUID?
    @Field(key: "invoice_id") var invoiceID: UUID
    @Field(key: "pdf") var pdf: Data
    /// SHA-256 of the bytes, hex: what an auditor compares.
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
