import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 15, items 3 and 5 in the portal: the record of processing names the sub-processors actually configured and
/// each agency's retention durations, which its admin sets within the bounds an OnSpot admin sets; the data-subject
/// request log keeps article 12(3)'s deadlines. Agency admins only, each agency its own.
final class DataProtectionTests: ServerTestCase {
    var alpha: Agency!
    var beta: Agency!

    override func setUp() async throws {
        try await super.setUp()
        alpha = try await makeAgency("Alpha")
        beta = try await makeAgency("Beta")
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: alpha, language: .en)
        try await makeUser("agent@alpha.example", role: .agencyAgent, agency: alpha)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: beta, language: .pt)
        try await makeUser("ops@onspot.example", role: .onspotAdmin, agency: nil)
        try await makeUser("expert@onspot.example", role: .expert, agency: nil)
    }

    func retentionForm(_ months: [RetentionCategory: String]) -> [String: String] {
        var form: [String: String] = [:]
        for c in RetentionCategory.allCases { form["months.\(c.rawValue)"] = months[c] ?? String(c.defaultMonths) }
        return form
    }

    func testTheRecordOfProcessingNamesWhatIsConfiguredAndOnlyAgencyAdminsReadIt() async throws {
        let admin = try await signedIn("admin@alpha.example")
        let bare = try await admin.get("/privacy")
        XCTAssertEqual(bare.status, .ok)
        XCTAssertTrue(bare.body.string.contains("Record of processing"), "in the admin's language")
        XCTAssertTrue(bare.body.string.contains("No outside service is configured"))
        XCTAssertFalse(bare.body.string.contains(#"data-processor="#))

        // A WhatsApp number, a toll-free line, Stripe and a mail relay make four sub-processors.
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        for (channel, id) in [(MessagingChannel.whatsapp, "1234567"), (.voice, "+18005550199")] {
            let e = ChannelEndpoint()
            e.$destination.id = try nyc.requireID()
            e.channel = channel; e.externalID = id; e.appSecret = "secret"; e.active = true; e.createdAt = Date()
            try await e.create(on: app.db)
        }
        app.onspot.stripeSecretKey = "sk_test_x"
        app.onspot.smtpHost = "smtp.onspot.example"
        let page = try await admin.get("/privacy").body.string
        for processor in ["meta", "twilio", "stripe", "mail"] {
            XCTAssertTrue(page.contains(#"data-processor="\#(processor)""#), processor)
        }
        XCTAssertTrue(page.contains("smtp.onspot.example"))
        XCTAssertTrue(page.contains("that data is erased 30 days later"))

        // Portuguese for Beta's admin; agents, experts and OnSpot admins do not reach it.
        let beta = try await signedIn("admin@beta.example")
        let portuguese = try await beta.get("/privacy").body.string
        XCTAssertTrue(portuguese.contains("Registro das operações de tratamento"))
        for email in ["agent@alpha.example", "expert@onspot.example", "ops@onspot.example"] {
            let other = try await signedIn(email)
            let status = try await other.get("/privacy").status
            XCTAssertEqual(status, .notFound, email)
            let requests = try await other.get("/privacy/requests").status
            XCTAssertEqual(requests, .notFound, email)
        }
    }

    func testAnAgencyChoosesItsRetentionWithinTheBoundsAndAnotherAgencyIsNotAffected() async throws {
        let admin = try await signedIn("admin@alpha.example")
        let saved = try await admin.post("/privacy/retention", form: retentionForm([.conversations: "24", .recordings: "3"]))
        XCTAssertEqual(saved.status, .seeOther, saved.body.string)
        let alphaMonths = try await RetentionPolicies.months(for: alpha.requireID(), on: app.db)
        XCTAssertEqual(alphaMonths[.conversations], 24)
        XCTAssertEqual(alphaMonths[.recordings], 3)
        let betaMonths = try await RetentionPolicies.months(for: beta.requireID(), on: app.db)
        XCTAssertEqual(betaMonths[.conversations], 36, "Beta keeps the default")
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.retentionChanged.rawValue).all()
        XCTAssertEqual(audit.map(\.agencyID), [alpha.id])

        // Out of bounds (recordings at most 24 by default), not a number, or missing: 422, field by field, nothing saved.
        let refused = try await admin.post("/privacy/retention", form: retentionForm([.recordings: "25", .logs: "six", .attachments: ""]))
        XCTAssertEqual(refused.status, .unprocessableEntity)
        for field in ["recordings", "logs", "attachments"] {
            XCTAssertTrue(refused.body.string.contains(#"id="months.\#(field)-error""#), field)
        }
        XCTAssertTrue(refused.body.string.contains(#"value="six""#), "what was typed is shown again")
        let unchanged = try await RetentionPolicies.months(for: alpha.requireID(), on: app.db)
        XCTAssertEqual(unchanged[.recordings], 3)

        // An OnSpot admin narrows the bounds: Alpha's 24 months is held within them, and the form now refuses 24.
        let ops = try await signedIn("ops@onspot.example")
        var bounds: [String: String] = [:]
        for c in RetentionCategory.allCases {
            let b = RetentionBounds.standard(c)
            bounds["minimum.\(c.rawValue)"] = String(b.minimum)
            bounds["maximum.\(c.rawValue)"] = String(b.maximum)
            bounds["default.\(c.rawValue)"] = String(b.defaultMonths)
        }
        bounds["minimum.conversations"] = "30"
        let narrowed = try await ops.post("/admin/retention", form: bounds)
        XCTAssertEqual(narrowed.status, .seeOther, narrowed.body.string)
        let held = try await RetentionPolicies.months(for: alpha.requireID(), on: app.db)
        XCTAssertEqual(held[.conversations], 30)
        let tooShort = try await admin.post("/privacy/retention", form: retentionForm([.conversations: "24"]))
        XCTAssertEqual(tooShort.status, .unprocessableEntity)

        // Bounds out of order, or out of the hard limits, are refused.
        bounds["default.logs"] = "200"
        bounds["minimum.notifications"] = "13"
        let wrong = try await ops.post("/admin/retention", form: bounds)
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.string.contains(#"id="default.logs-error""#))
        XCTAssertTrue(wrong.body.string.contains(#"id="default.notifications-error""#), "minimum 13 above the default 12")
        let stored = try await RetentionPolicies.bounds(on: app.db)
        XCTAssertEqual(stored[.logs]?.defaultMonths, 6)
        let runs = try await ops.get("/admin/retention")
        XCTAssertTrue(runs.body.string.contains("No purge yet") || runs.body.string.contains("Aucune purge"))
        let agencyAdmin = try await admin.get("/admin/retention").status
        XCTAssertEqual(agencyAdmin, .notFound)
    }

    func testTheRequestLogKeepsTheDeadlinesOfArticle12() async throws {
        let admin = try await signedIn("admin@alpha.example")
        let today = Date()
        let received = DataSubjectDeadline.text(today.addingTimeInterval(-10 * 86400))
        let recorded = try await admin.post(
            "/privacy/requests", form: ["kind": "erasure", "subjectReference": "File HZ-2041", "receivedOn": received])
        XCTAssertEqual(recorded.status, .seeOther, recorded.body.string)
        let first = try await DataSubjectRequest.query(on: app.db).first()
        let request = try XCTUnwrap(first)
        XCTAssertEqual(DataSubjectDeadline.text(request.receivedOn), received)
        let receivedDay = try XCTUnwrap(DataSubjectDeadline.day(received, today: today))
        XCTAssertEqual(DataSubjectDeadline.text(request.dueOn), DataSubjectDeadline.text(DataSubjectDeadline.due(received: receivedDay)))
        XCTAssertEqual(request.status, .open)
        let page = try await admin.get("/privacy/requests").body.string
        XCTAssertTrue(page.contains("File HZ-2041"))
        XCTAssertTrue(page.contains("Erasure (art. 17)"))
        XCTAssertTrue(page.contains("days left"))

        // Invalid input: unknown kind, no reference, a date that does not exist or lies ahead.
        for (form, field) in [
            (["kind": "deletion", "subjectReference": "x", "receivedOn": received], "kind"),
            (["kind": "access", "subjectReference": " ", "receivedOn": received], "subjectReference"),
            (["kind": "access", "subjectReference": "x", "receivedOn": "2026-02-30"], "receivedOn"),
            (["kind": "access", "subjectReference": "x", "receivedOn": DataSubjectDeadline.text(today.addingTimeInterval(5 * 86400))], "receivedOn")
        ] {
            let res = try await admin.post("/privacy/requests", form: form)
            XCTAssertEqual(res.status, .unprocessableEntity, "\(form)")
            XCTAssertTrue(res.body.string.contains(#"id="\#(field)-error""#), "\(form)")
        }
        let count = try await DataSubjectRequest.query(on: app.db).count()
        XCTAssertEqual(count, 1)

        // Another agency's admin cannot see, extend or close it: not found.
        let beta = try await signedIn("admin@beta.example")
        let betaPage = try await beta.get("/privacy/requests").body.string
        XCTAssertFalse(betaPage.contains("File HZ-2041"))
        let id = try request.requireID()
        let foreignExtend = try await beta.post("/privacy/requests/\(id)/extend", form: ["reason": "many requests"])
        XCTAssertEqual(foreignExtend.status, .notFound)
        let foreignClose = try await beta.post("/privacy/requests/\(id)/close", form: ["status": "done"])
        XCTAssertEqual(foreignClose.status, .notFound)

        // Extended once, with a reason, by two months from the first deadline.
        let noReason = try await admin.post("/privacy/requests/\(id)/extend", form: ["reason": ""])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        let extended = try await admin.post("/privacy/requests/\(id)/extend", form: ["reason": "Twelve trips to gather"])
        XCTAssertEqual(extended.status, .seeOther)
        let afterExtension = try await DataSubjectRequest.find(id, on: app.db)
        let after = try XCTUnwrap(afterExtension)
        XCTAssertEqual(after.status, .extended)
        XCTAssertEqual(after.extendedUntil.map(DataSubjectDeadline.text), DataSubjectDeadline.text(DataSubjectDeadline.extended(due: after.dueOn)))
        let twice = try await admin.post("/privacy/requests/\(id)/extend", form: ["reason": "again"])
        XCTAssertEqual(twice.status, .conflict)

        // Closed: refused needs the answer given; done closes it; a closed request stays closed.
        let bareRefusal = try await admin.post("/privacy/requests/\(id)/close", form: ["status": "refused", "outcome": ""])
        XCTAssertEqual(bareRefusal.status, .unprocessableEntity)
        let badStatus = try await admin.post("/privacy/requests/\(id)/close", form: ["status": "open"])
        XCTAssertEqual(badStatus.status, .unprocessableEntity)
        let done = try await admin.post("/privacy/requests/\(id)/close", form: ["status": "done", "outcome": "Erased on the traveller's page"])
        XCTAssertEqual(done.status, .seeOther)
        let afterClosing = try await DataSubjectRequest.find(id, on: app.db)
        let closed = try XCTUnwrap(afterClosing)
        XCTAssertEqual(closed.status, .done)
        XCTAssertNotNil(closed.closedAt)
        let again = try await admin.post("/privacy/requests/\(id)/close", form: ["status": "done"])
        XCTAssertEqual(again.status, .conflict)

        // The audit trail has each step, without the free texts.
        let actions = try await AuditEntry.query(on: app.db).filter(\.$subjectID == id.uuidString).sort(\.$sequence).all()
        XCTAssertEqual(
            actions.map(\.action),
            [AuditAction.dataRequestRecorded, .dataRequestExtended, .dataRequestClosed].map(\.rawValue))
        for entry in actions {
            XCTAssertFalse(entry.detail.contains("Twelve trips"), entry.detail)
            XCTAssertFalse(entry.detail.contains("HZ-2041"), entry.detail)
        }
    }

    func testAnOverdueRequestIsFlagged() async throws {
        let admin = try await signedIn("admin@alpha.example")
        let received = DataSubjectDeadline.text(Date().addingTimeInterval(-45 * 86400))
        _ = try await admin.post("/privacy/requests", form: ["kind": "access", "subjectReference": "Late one", "receivedOn": received])
        let page = try await admin.get("/privacy/requests").body.string
        XCTAssertTrue(page.contains(#"id="overdue""#), page)
        XCTAssertTrue(page.contains("overdue"))
        let only = try await DataSubjectRequest.query(on: app.db).first()
        let request = try XCTUnwrap(only)
        let late = try await admin.post("/privacy/requests/\(request.requireID())/extend", form: ["reason": "too late"])
        XCTAssertEqual(late.status, .conflict, "an extension is decided before the deadline")
    }
}
