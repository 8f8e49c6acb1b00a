import Fluent
import Foundation
import OnSpotCore
import Vapor

enum AgencyStatus: String, StoredCode { case active, closed }

final class Agency: Model, @unchecked Sendable {
    static let schema = "agencies"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "legal_name") var legalName: String?
    @OptionalField(key: "registration_number") var registrationNumber: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "country_code") var countryCode: String?
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "language") var language: Language
    @Parent(key: "plan_id") var plan: PlanRecord
    @Field(key: "status") var status: AgencyStatus
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "brand_display_name") var brandDisplayName: String?
    @OptionalField(key: "brand_colour") var brandColour: String?
    @OptionalField(key: "brand_logo") var brandLogo: Data?
    @OptionalField(key: "brand_logo_mime") var brandLogoMime: String?
    @OptionalField(key: "escalation_contact") var escalationContact: String?
    @OptionalField(key: "approval_delay_minutes") var approvalDelayMinutes: Int?
    /// The buyer's intra-community VAT number, printed on invoices (reverse charge).
    @OptionalField(key: "vat_number") var vatNumber: String?
    /// Refund or credits when a credit note lands on a paid invoice; nil is a refund to the original payment.
    @OptionalField(key: "refund_preference") var refundPreference: RefundPreference?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var zone: TimeZone { TimeZones.named(timeZone) ?? TimeZone(identifier: "Europe/Paris")! }
    var isActive: Bool { status == .active }
}

enum Role: String, StoredCode {
    case agencyAdmin = "agency_admin"
    case agencyAgent = "agency_agent"
    case expert = "onspot_expert"
    case onspotAdmin = "onspot_admin"

    var isAgencySide: Bool { self == .agencyAdmin || self == .agencyAgent }
}

final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @OptionalParent(key: "agency_id") var agency: Agency?
    @Field(key: "role") var role: Role
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "language") var language: Language
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    /// Experts: the number the voice line dials while they are on duty.
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "on_duty") var onDuty: Bool
    /// Sessions signed in before this instant are over (password reset or change, deactivation).
    @OptionalField(key: "credentials_changed_at") var credentialsChangedAt: Date?
    init() {}

    init(agencyID: UUID?, role: Role, email: String, name: String, passwordHash: String, language: Language) {
        self.$agency.id = agencyID
        self.role = role
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.language = language
        self.active = true
        self.onDuty = false
        self.createdAt = AppClock.now
    }

}

extension User: SessionAuthenticatable {
    var sessionID: UUID { id! }
}

final class ExpertDestination: Model, @unchecked Sendable {
    static let schema = "expert_destinations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "destination_id") var destination: DestinationRecord
    init() {}
}

final class ScopeVersion: Model, @unchecked Sendable {
    static let schema = "scope_versions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "version") var version: Int
    /// JSON of `ScopeOfAction`.
    @Field(key: "rules") var rules: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    init() {}

    var scope: ScopeOfAction {
        (try? JSONDecoder().decode(ScopeOfAction.self, from: Data(rules.utf8))) ?? .cautiousDefault
    }
}

final class ApiKey: Model, @unchecked Sendable {
    static let schema = "api_keys"
    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "name") var name: String
    /// The first characters of the key, shown in the portal so a key can be recognised without storing it.
    @Field(key: "prefix") var prefix: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Field(key: "access") var access: ApiKeyAccess
    init() {}
}

final class PasswordReset: Model, @unchecked Sendable {
    static let schema = "password_resets"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "ip") var ip: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_records"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "key") var key: String
    @Field(key: "request_hash") var requestHash: String
    @Field(key: "response_status") var responseStatus: Int
    @Field(key: "response_body") var responseBody: Data
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"
    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int64
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "actor_kind") var actorKind: String
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @OptionalField(key: "subject_id") var subjectID: String?
    @Field(key: "detail") var detail: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String
    /// The agency's own chain ("onspot" for entries of no agency): what the agency's trail is verified and exported by.
    @OptionalField(key: "chain") var chain: String?
    @OptionalField(key: "chain_sequence") var chainSequence: Int64?
    @OptionalField(key: "chain_previous_hash") var chainPreviousHash: String?
    @OptionalField(key: "chain_hash") var chainHash: String?
    init() {}
}

/// The last entry of a chain found intact: later views verify only what came after it (and what they show).
final class AuditCheckpoint: Model, @unchecked Sendable {
    static let schema = "audit_checkpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "chain") var chain: String
    @Field(key: "chain_sequence") var chainSequence: Int64
    @Field(key: "chain_hash") var chainHash: String
    @Field(key: "verified_at") var verifiedAt: Date
    init() {}
}
