import Fluent
import SQLKit

/// The whole product's schema, designed at once because SQLite cannot alter columns: later migrations only add.
/// Money is integer minor units with an ISO currency; instants are UTC; local times carry an IANA zone.
struct M001_CreateSchema: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await createReferenceData(on: db)
        try await createAccounts(on: db)
        try await createTrips(on: db)
        try await createChannelsAndCases(on: db)
        try await createBilling(on: db)
        try await createNotificationsAndAudit(on: db)
        try await createIndexes(on: db)
    }

    func revert(on db: any Database) async throws {
        for table in [
            "audit_log", "webhook_deliveries", "webhook_endpoints", "notifications", "payments", "invoice_lines",
            "invoices", "credit_ledger_entries", "commissions", "activity_bookings", "approvals", "cost_actions",
            "cases", "messages", "conversations", "pasted_documents", "itinerary_segments", "trip_destinations",
            "trip_travellers", "trips", "travellers", "idempotency_records", "login_attempts", "password_resets",
            "api_keys", "scope_versions", "expert_destinations", "users", "agencies", "destinations", "plans"
        ] {
            try await db.schema(table).delete()
        }
    }

    /// Reference data edited by OnSpot admins.
    private func createReferenceData(on db: any Database) async throws {
        try await db.schema("plans").id()
            .field("code", .string, .required).field("name", .string, .required)
            .field("billing_mode", .string, .required).field("refund_notice_hours", .int, .required)
            .field("white_label", .bool, .required)
            .field("price_per_traveller_day_minor", .int64, .required).field("minimum_per_trip_minor", .int64, .required)
            .field("currency", .string, .required).field("grid_version", .int, .required)
            .field("updated_at", .datetime, .required).field("updated_by", .uuid)
            .unique(on: "code").create()

        try await db.schema("destinations").id()
            .field("code", .string, .required).field("country_code", .string, .required).field("name", .string, .required)
            .field("time_zone", .string, .required).field("opening_hours", .string, .required)
            .field("closure_days", .string, .required)
            .field("toll_free_number", .string, .required).field("whatsapp_number", .string, .required)
            .field("messenger_page", .string).field("email", .string, .required)
            .field("languages", .string, .required).field("emergency_number", .string, .required)
            .field("active", .bool, .required).field("updated_at", .datetime, .required)
            .unique(on: "code").create()
    }

    /// Agencies and accounts.
    private func createAccounts(on db: any Database) async throws {
        try await db.schema("agencies").id()
            .field("name", .string, .required).field("legal_name", .string).field("registration_number", .string)
            .field("address", .string).field("country_code", .string)
            .field("contact_name", .string, .required).field("contact_email", .string, .required)
            .field("contact_phone", .string)
            .field("currency", .string, .required).field("time_zone", .string, .required).field("language", .string, .required)
            .field("plan_id", .uuid, .required, .references("plans", "id"))
            .field("status", .string, .required).field("closed_at", .datetime)
            .field("brand_display_name", .string).field("brand_colour", .string)
            .field("brand_logo", .data).field("brand_logo_mime", .string)
            .field("escalation_contact", .string).field("approval_delay_minutes", .int)
            .field("created_at", .datetime, .required).create()

        try await db.schema("users").id()
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("role", .string, .required).field("email", .string, .required).field("name", .string, .required)
            .field("password_hash", .string, .required).field("language", .string, .required)
            .field("active", .bool, .required).field("created_at", .datetime, .required).field("last_login_at", .datetime)
            .unique(on: "email").create()

        try await db.schema("expert_destinations").id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("destination_id", .uuid, .required, .references("destinations", "id"))
            .unique(on: "user_id", "destination_id").create()

        try await db.schema("scope_versions").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("version", .int, .required).field("rules", .string, .required)
            .field("created_at", .datetime, .required).field("created_by", .uuid, .references("users", "id"))
            .unique(on: "agency_id", "version").create()

        try await db.schema("api_keys").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("name", .string, .required).field("prefix", .string, .required).field("key_hash", .string, .required)
            .field("created_at", .datetime, .required).field("created_by", .uuid, .references("users", "id"))
            .field("revoked_at", .datetime).field("last_used_at", .datetime)
            .unique(on: "key_hash").create()

        try await db.schema("password_resets").id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("token_hash", .string, .required).field("expires_at", .datetime, .required)
            .field("used_at", .datetime).field("created_at", .datetime, .required)
            .unique(on: "token_hash").create()

        try await db.schema("login_attempts").id()
            .field("email", .string, .required).field("ip", .string, .required)
            .field("succeeded", .bool, .required).field("created_at", .datetime, .required).create()

        try await db.schema("idempotency_records").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("key", .string, .required).field("request_hash", .string, .required)
            .field("response_status", .int, .required).field("response_body", .data, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "agency_id", "key").create()
    }

    /// Travellers and trips.
    private func createTrips(on db: any Database) async throws {
        try await db.schema("travellers").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("first_name", .string, .required).field("last_name", .string, .required)
            .field("date_of_birth", .string).field("phone", .string).field("email", .string)
            .field("language", .string, .required)
            .field("consent_call_recording", .bool, .required).field("consent_recommendations", .bool, .required)
            .field("abusive", .bool, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required).create()

        try await db.schema("trips").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("reference", .string).field("status", .string, .required)
            .field("departure_at", .datetime, .required).field("arrival_at", .datetime, .required)
            .field("return_at", .datetime, .required).field("notes", .string)
            .field("plan_code", .string, .required)
            .field("scope_version_id", .uuid, .references("scope_versions", "id"))
            .field("created_at", .datetime, .required).field("created_by", .uuid, .references("users", "id"))
            .field("updated_at", .datetime, .required)
            .field("cancelled_at", .datetime).field("cancelled_by", .uuid).field("cancellation_reason", .string)
            .field("refund_state", .string, .required).create()

        try await db.schema("trip_travellers").id()
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("traveller_id", .uuid, .required, .references("travellers", "id"))
            .field("position", .int, .required).field("card_token", .string, .required)
            .unique(on: "card_token").unique(on: "trip_id", "traveller_id").create()

        try await db.schema("trip_destinations").id()
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("destination_id", .uuid, .required, .references("destinations", "id"))
            .field("position", .int, .required)
            .unique(on: "trip_id", "destination_id").create()

        try await db.schema("itinerary_segments").id()
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("kind", .string, .required).field("title", .string, .required)
            .field("starts_at", .datetime).field("ends_at", .datetime).field("time_zone", .string)
            .field("location", .string).field("supplier", .string).field("confirmation", .string)
            .field("details", .string).field("source", .string, .required)
            .field("pasted_document_id", .uuid).field("created_at", .datetime, .required).create()

        try await db.schema("pasted_documents").id()
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("title", .string).field("text", .string, .required)
            .field("created_at", .datetime, .required).field("created_by", .uuid).create()
    }

    /// Channels and cases (the channels issue fills them).
    private func createChannelsAndCases(on db: any Database) async throws {
        try await db.schema("conversations").id()
            .field("channel", .string, .required).field("external_user_id", .string, .required)
            .field("destination_id", .uuid, .references("destinations", "id"))
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("traveller_id", .uuid, .references("travellers", "id"))
            .field("trip_id", .uuid, .references("trips", "id"))
            .field("identified", .bool, .required).field("last_inbound_at", .datetime)
            .field("created_at", .datetime, .required).create()

        try await db.schema("messages").id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id"))
            .field("direction", .string, .required).field("channel", .string, .required)
            .field("provider_message_id", .string).field("kind", .string, .required).field("body", .string)
            .field("media", .string).field("status", .string, .required).field("author_id", .uuid)
            .field("created_at", .datetime, .required).field("sent_at", .datetime).field("delivered_at", .datetime)
            .field("read_at", .datetime).field("failed_reason", .string)
            .unique(on: "channel", "provider_message_id").create()

        try await db.schema("cases").id()
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("trip_id", .uuid, .references("trips", "id"))
            .field("traveller_id", .uuid, .references("travellers", "id"))
            .field("conversation_id", .uuid, .references("conversations", "id"))
            .field("destination_id", .uuid, .references("destinations", "id"))
            .field("category", .string, .required).field("priority", .string, .required).field("status", .string, .required)
            .field("assignee_id", .uuid, .references("users", "id"))
            .field("safety_flag", .bool, .required).field("recording_refused", .bool, .required)
            .field("opened_at", .datetime, .required).field("first_response_at", .datetime)
            .field("resolved_at", .datetime).field("resolution_summary", .string).create()

        try await db.schema("cost_actions").id()
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("domain", .string, .required).field("supplier", .string, .required).field("purpose", .string, .required)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("agency_amount_minor", .int64, .required).field("agency_currency", .string, .required)
            .field("exchange_rate", .string, .required).field("is_booking_change", .bool, .required)
            .field("decision", .string, .required)
            .field("scope_version_id", .uuid, .required, .references("scope_versions", "id"))
            .field("emergency_justification", .string)
            .field("created_by", .uuid, .references("users", "id")).field("created_at", .datetime, .required).create()

        try await db.schema("approvals").id()
            .field("cost_action_id", .uuid, .required, .references("cost_actions", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("status", .string, .required).field("shown_text", .string, .required)
            .field("shown_amount_minor", .int64, .required).field("shown_currency", .string, .required)
            .field("token_hash", .string, .required).field("expires_at", .datetime, .required)
            .field("decided_by", .uuid).field("decided_via", .string).field("decided_at", .datetime)
            .field("comment", .string).field("created_at", .datetime, .required)
            .unique(on: "token_hash").create()
    }

    /// Activities, commissions, credits and billing (the billing issue fills them).
    private func createBilling(on db: any Database) async throws {
        try await db.schema("activity_bookings").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("traveller_id", .uuid, .required, .references("travellers", "id"))
            .field("trip_id", .uuid, .references("trips", "id"))
            .field("destination_id", .uuid, .references("destinations", "id"))
            .field("case_id", .uuid, .references("cases", "id"))
            .field("activity_name", .string, .required).field("activity_type", .string, .required)
            .field("activity_nature", .string, .required).field("supplier", .string, .required)
            .field("commissionable", .bool, .required)
            .field("amount_billed_minor", .int64, .required).field("card_fees_minor", .int64, .required)
            .field("extra_costs_minor", .int64, .required).field("currency", .string, .required)
            .field("requested_at", .datetime, .required).field("booked_by", .uuid).create()

        try await db.schema("commissions").id()
            .field("activity_booking_id", .uuid, .required, .references("activity_bookings", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("rate_basis_points", .int, .required).field("base_minor", .int64, .required)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "activity_booking_id").create()

        try await db.schema("credit_ledger_entries").id()
            .field("transaction_id", .uuid, .required).field("agency_id", .uuid, .references("agencies", "id"))
            .field("account", .string, .required).field("amount_minor", .int64, .required)
            .field("currency", .string, .required).field("kind", .string, .required).field("memo", .string)
            .field("created_at", .datetime, .required).create()

        try await db.schema("invoices").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("number", .string, .required).field("sequence", .int, .required).field("period", .string, .required)
            .field("status", .string, .required).field("total_minor", .int64, .required).field("currency", .string, .required)
            .field("issued_at", .datetime, .required).field("due_at", .datetime, .required)
            .unique(on: "number").unique(on: "sequence").unique(on: "agency_id", "period").create()

        try await db.schema("invoice_lines").id()
            .field("invoice_id", .uuid, .required, .references("invoices", "id"))
            .field("trip_id", .uuid, .references("trips", "id")).field("description", .string, .required)
            .field("amount_minor", .int64, .required).field("due_at", .datetime, .required).create()

        try await db.schema("payments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("invoice_id", .uuid, .references("invoices", "id")).field("trip_id", .uuid, .references("trips", "id"))
            .field("provider", .string, .required).field("provider_reference", .string)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("status", .string, .required).field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .unique(on: "provider", "provider_reference").create()
    }

    /// Notifications, outgoing webhooks, audit.
    private func createNotificationsAndAudit(on db: any Database) async throws {
        try await db.schema("notifications").id()
            .field("agency_id", .uuid, .references("agencies", "id")).field("user_id", .uuid, .references("users", "id"))
            .field("kind", .string, .required).field("channel", .string, .required).field("recipient", .string, .required)
            .field("subject", .string, .required).field("body", .string, .required).field("status", .string, .required)
            .field("created_at", .datetime, .required).field("sent_at", .datetime).create()

        try await db.schema("webhook_endpoints").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("url", .string, .required).field("secret", .string, .required).field("active", .bool, .required)
            .field("created_at", .datetime, .required).create()

        try await db.schema("webhook_deliveries").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("endpoint_id", .uuid, .references("webhook_endpoints", "id"))
            .field("event_type", .string, .required).field("payload", .string, .required).field("status", .string, .required)
            .field("attempts", .int, .required).field("next_attempt_at", .datetime).field("last_response_code", .int)
            .field("created_at", .datetime, .required).field("delivered_at", .datetime).create()

        try await db.schema("audit_log").id()
            .field("sequence", .int64, .required).field("agency_id", .uuid).field("actor_user_id", .uuid)
            .field("actor_kind", .string, .required).field("action", .string, .required)
            .field("subject_type", .string, .required).field("subject_id", .string)
            .field("detail", .string, .required).field("created_at", .datetime, .required)
            .field("previous_hash", .string, .required).field("hash", .string, .required)
            .unique(on: "sequence").create()
    }

    /// Indexes on what the portal and later the console filter by.
    private func createIndexes(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            let indexes: [(String, String, [String])] = [
                ("idx_trips_agency_departure", "trips", ["agency_id", "departure_at"]),
                ("idx_trips_agency_status", "trips", ["agency_id", "status"]),
                ("idx_travellers_agency_name", "travellers", ["agency_id", "last_name"]),
                ("idx_travellers_phone", "travellers", ["phone"]),
                ("idx_trip_travellers_traveller", "trip_travellers", ["traveller_id"]),
                ("idx_trip_destinations_destination", "trip_destinations", ["destination_id"]),
                ("idx_segments_trip", "itinerary_segments", ["trip_id", "starts_at"]),
                ("idx_documents_trip", "pasted_documents", ["trip_id"]),
                ("idx_users_agency", "users", ["agency_id"]),
                ("idx_api_keys_agency", "api_keys", ["agency_id"]),
                ("idx_scope_versions_agency", "scope_versions", ["agency_id", "version"]),
                ("idx_login_attempts_email", "login_attempts", ["email", "created_at"]),
                ("idx_login_attempts_ip", "login_attempts", ["ip", "created_at"]),
                ("idx_conversations_external", "conversations", ["channel", "external_user_id"]),
                ("idx_messages_conversation", "messages", ["conversation_id", "created_at"]),
                ("idx_cases_status", "cases", ["destination_id", "status"]),
                ("idx_cases_agency", "cases", ["agency_id", "opened_at"]),
                ("idx_cost_actions_case", "cost_actions", ["case_id"]),
                ("idx_approvals_agency", "approvals", ["agency_id", "status"]),
                ("idx_activity_bookings_agency", "activity_bookings", ["agency_id", "requested_at"]),
                ("idx_ledger_agency", "credit_ledger_entries", ["agency_id", "account"]),
                ("idx_ledger_transaction", "credit_ledger_entries", ["transaction_id"]),
                ("idx_notifications_agency", "notifications", ["agency_id", "created_at"]),
                ("idx_webhook_deliveries_agency", "webhook_deliveries", ["agency_id", "created_at"]),
                ("idx_audit_agency", "audit_log", ["agency_id", "sequence"])
            ]
            for (name, table, columns) in indexes {
                var builder = sql.create(index: name).on(table)
                for column in columns { builder = builder.column(column) }
                try await builder.run()
            }
        }
    }
}
