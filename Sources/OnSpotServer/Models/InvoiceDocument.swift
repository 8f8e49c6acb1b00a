import Fluent
import Foundation

/// A billing document's PDF as first downloaded, one per owner (an invoice, a credit note).
protocol ArchivedDocument: Model {
    static var owner: KeyPath<Self, FieldProperty<Self, UUID>> { get }
    var pdf: Data { get set }
    var sha256: String { get set }
    var createdAt: Date { get set }
    init()
}

/// An invoice as the PDF the agency downloaded first: rendered once, then served unchanged (an issued invoice is a
/// document, not a page that follows later changes of the code or the data).
final class InvoiceDocument: ArchivedDocument, @unchecked Sendable {
    static let schema = "invoice_documents"
    static var owner: KeyPath<InvoiceDocument, FieldProperty<InvoiceDocument, UUID>> { \.$invoiceID }
    @ID(key: .id) var id: UUID?
    @Field(key: "invoice_id") var invoiceID: UUID
    @Field(key: "pdf") var pdf: Data
    /// SHA-256 of the bytes, hex: what an auditor compares.
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// A credit note as the PDF first downloaded, archived the same way.
final class CreditNoteDocument: ArchivedDocument, @unchecked Sendable {
    static let schema = "credit_note_documents"
    static var owner: KeyPath<CreditNoteDocument, FieldProperty<CreditNoteDocument, UUID>> { \.$creditNoteID }
    @ID(key: .id) var id: UUID?
    @Field(key: "credit_note_id") var creditNoteID: UUID
    @Field(key: "pdf") var pdf: Data
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
