import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import SQLKit
import XCTest
import XCTVapor

/// Clause 2.10 end to end on the server: cost decisions, written approvals by portal and emailed link, the emergency
/// exception, reminders and escalation, the audit trail and the monthly report.
final class ApprovalTests: ServerTestCase {
    var smtp: SMTPStandIn!
    var agency: Agency!
    var record: CaseRecord!
    var expert: TestBrowser!

    /// Agency A: car rental within a 300 € cap, flights after approval, activities inform only; a case in New York.
    override func setUp() async throws {
        try await super.setUp()
        smtp = try SMTPStandIn()
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        agency = try await makeAgency("Horizon")
        let rules = ScopeDomain.allCases.map { d -> ScopeRule in
            switch d {
            case .carRental: ScopeRule(domain: d, level: .actWithinCap, capMinorUnits: 30_000)
            case .activities: ScopeRule(domain: d, level: .informOnly, capMinorUnits: 0)
            default: ScopeRule(domain: d, level: .actAfterApproval, capMinorUnits: 0)
            }
        }
        _ = try await ScopeService.saveVersion(ScopeOfAction(rules: rules), agencyID: agency.requireID(), by: nil, on: app.db)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-2604")
        record = try await makeCase(agency: agency, trip: trip)
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try user.requireID()
        link.$destination.id = record.destinationID!
        try await link.create(on: app.db)
        expert = try await signedIn("expert@onspot.example")
        _ = try await expert.get("/console/cases/\(record.id!)")
    }

    override func tearDown() async throws {
        smtp.stop()
        try await super.tearDown()
    }

    func makeCase(agency: Agency, trip: Trip, category: CaseCategory = .carRental) async throws -> CaseRecord {
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let c = CaseRecord()
        c.agencyID = agency.id; c.tripID = trip.id; c.travellerID = trip.travellerLinks[0].$traveller.id
        c.destinationID = nyc.id; c.category = category; c.priority = .normal; c.status = .inProgress
        c.safetyFlag = false; c.recordingRefused = false; c.openedAt = Date()
        try await c.create(on: app.db)
        return c
    }

    func cost(_ fields: [String: String]) async throws -> XCTHTTPResponse {
        let base = [
            "domain": "car_rental", "supplier": "Hertz JFK", "purpose": "Replacement car after a flat tyre", "amount": "120", "currency": "EUR"
        ]
        return try await expert.post("/console/cases/\(record.id!)/costs", form: base.merging(fields) { $1 })
    }

    func links(in mail: SMTPStandIn.Received) -> (approve: String, deny: String) {
        let body = SMTPStandIn.decode(mail.data).body
        func find(_ decision: String) -> String {
            let line = body.components(separatedBy: "\n").first { $0.contains("decision=\(decision)") } ?? ""
            let url = line.components(separatedBy: " ").last ?? ""
            return String(url[url.range(of: "/approvals/")!.lowerBound...])
        }
        return (find("approve"), find("deny"))
    }

    /// Issue 13, item 5: beside the conversation, what the case committed against each cap and what waits for the agency.
    func testTheContextShowsSpendingAgainstEachCapAndTheApprovalsWaiting() async throws {
        _ = try await cost(["amount": "120"])
        _ = try await cost(["amount": "100"])
        _ = try await cost(["amount": "150"])  // 370 > 300: needs approval
        _ = try await cost(["domain": "accommodation", "supplier": "Hilton", "amount": "90"])  // after approval
        let page = try await expert.get("/console/cases/\(record.id!)").body.string
        func row(_ domain: String) -> String {
            guard let start = page.range(of: #"<tr data-domain="\#(domain)""#) else { return "" }
            return String(page[start.lowerBound...].prefix { $0 != "\n" }.components(separatedBy: "</tr>")[0])
        }
        XCTAssertTrue(
            row("car_rental").contains(
                #"<td class="num spent">220,00 EUR</td><td class="num left">80,00 EUR</td><td class="num waiting">150,00 EUR</td>"#),
            row("car_rental"))
        XCTAssertTrue(
            row("accommodation").contains(#"<td class="num spent">—</td>"#) && row("accommodation").contains("90,00 EUR"), row("accommodation"))
        XCTAssertTrue(page.contains(#"id="approvals-waiting""#))
        XCTAssertTrue(page.contains("150,00 EUR – Hertz JFK"), "each outlay waiting, with its supplier")
        XCTAssertTrue(page.contains(#"<details id="scope-fold" class="fold" open"#), "open once the case has costs")
        // Once the agency approves, the amount counts as committed and leaves the waiting list.
        let approvals = try await Approval.query(on: app.db).filter(\.$agencyID == agency.requireID()).all()
        for approval in approvals {
            approval.status = .approved
            approval.decidedAt = Date()
            try await approval.save(on: app.db)
        }
        let after = try await expert.get("/console/cases/\(record.id!)").body.string
        XCTAssertFalse(after.contains(#"id="approvals-waiting""#))
        XCTAssertTrue(after.contains(#"<td class="num spent">370,00 EUR</td><td class="num left">0,00 EUR</td>"#))
        XCTAssertTrue(after.contains(#"class="over-cap""#))
    }

    func testDecisionsFollowTheScopeCumulativelyAndConvertWithTheRecordedRate() async throws {
        let first = try await cost(["amount": "200"])
        XCTAssertEqual(first.status, .seeOther, first.body.string)
        let second = try await cost(["amount": "100"])
        XCTAssertEqual(second.status, .seeOther)
        let third = try await cost(["amount": "0,01"])
        XCTAssertEqual(third.status, .seeOther)
        let mexico = try await cost(["amount": "2500", "currency": "MXN", "domain": "flights"])
        XCTAssertEqual(mexico.status, .seeOther)
        let inform = try await cost(["domain": "activities"])
        XCTAssertEqual(inform.status, .seeOther)
        let actions = try await CostAction.query(on: app.db).sort(\.$createdAt).all()
        XCTAssertEqual(
            actions.map(\.decision), [.allowed, .allowed, .needsApproval, .needsApproval, .notAllowed],
            "300 € cap reached exactly, then one cent over")
        XCTAssertEqual(actions[3].agencyAmountMinor, 12_750, "2,500 MXN at the seeded 0.051")
        XCTAssertEqual(actions[3].exchangeRate, "0.051")
        let scope = try await ScopeService.current(agencyID: agency.requireID(), on: app.db)!
        XCTAssertTrue(actions.allSatisfy { $0.scopeVersionID == scope.id }, "the version in force is on every decision")
        let approvals = try await Approval.query(on: app.db).count()
        XCTAssertEqual(approvals, 2)
        let waiting = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(waiting.status, .waitingForAgency)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "cost.recorded").all()
        XCTAssertEqual(audited.count, 5)
        XCTAssertTrue(audited[0].detail.contains(#""scopeVersion":"2""#), audited[0].detail)
        let broken = try await AuditLog.verify(on: app.db)
        XCTAssertNil(broken)
        let mails = smtp.messages.filter { $0.to == ["<contact@horizon.example>"] }
        XCTAssertEqual(mails.count, 2, "one approval request per over-scope cost")
        XCTAssertTrue(SMTPStandIn.decode(mails[1].data).body.contains("500,00 MXN"), SMTPStandIn.decode(mails[1].data).body)
    }

    func testBadCostInputIsRefusedPreciselyAndNothingIsRecorded() async throws {
        for (fields, field) in [
            (["amount": "-5"], "amount"), (["amount": "12.345"], "amount"), (["currency": "XXX"], "currency"),
            (["domain": "spaceflight"], "domain"), (["supplier": ""], "supplier"),
            (["purpose": String(repeating: "x", count: 1001)], "purpose"), (["currency": "JPY"], "currency")
        ] {
            let res = try await cost(fields)
            XCTAssertEqual(res.status, .unprocessableEntity, "\(fields)")
            XCTAssertTrue(res.body.string.contains(#"id="\#(field)-error""#), "\(fields): \(res.body.string.suffix(3000))")
        }
        // No rate to the agency's currency: refused with the reason, not converted at a made-up rate.
        try await ExchangeRateRecord.query(on: app.db).filter(\.$fromCurrency == .CAD).delete()
        let noRate = try await cost(["currency": "CAD"])
        XCTAssertEqual(noRate.status, .unprocessableEntity)
        XCTAssertTrue(
            noRate.body.string.contains(L10n.t("cost.error.no_rate", .fr).replacingOccurrences(of: "'", with: "&#39;"))
                || noRate.body.string.contains("taux de change"), noRate.body.string)
        let forged = try await expert.post(
            "/console/cases/\(record.id!)/costs",
            form: [
                "domain": "car_rental", "supplier": "X", "purpose": "Y",
                "amount": "1", "currency": "EUR"
            ], csrf: "forged")
        XCTAssertEqual(forged.status, .forbidden)
        let count = try await CostAction.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testTheAgencyApprovesFromTheEmailedLinkOnceAndTheLinkCannotBeForgedReusedOrMoved() async throws {
        _ = try await cost(["amount": "450"])
        let approval = try await Approval.query(on: app.db).first()!
        let (approve, deny) = links(in: try XCTUnwrap(smtp.messages.last))
        XCTAssertTrue(deny.contains("decision=deny"))
        let visitor = TestBrowser(app: app)
        // Forged: a token of the right shape that the server did not sign.
        let forged = try await visitor.get("/approvals/\(approval.id!)/link?token=\(String(repeating: "a", count: 64))&decision=approve")
        XCTAssertEqual(forged.status, .forbidden)
        let missing = try await visitor.get("/approvals/\(approval.id!)/link?decision=approve")
        XCTAssertEqual(missing.status, .forbidden)
        // Viewing the link decides nothing: mail scanners follow links.
        let page = try await visitor.get(approve)
        XCTAssertEqual(page.status, .ok, page.body.string)
        XCTAssertTrue(page.body.string.contains(approval.shownText.replacingOccurrences(of: "'", with: "&#39;")))
        var still = try await Approval.find(approval.id, on: app.db)!
        XCTAssertEqual(still.status, .pending)
        let token = URLComponents(string: approve)!.queryItems!.first { $0.name == "token" }!.value!
        // Moved: this token on another agency's approval.
        let other = try await makeAgency("Evasion")
        let otherTrip = try await makeTrip(for: other, departure: Date().addingTimeInterval(-86400), reference: "EV-1")
        record = try await makeCase(agency: other, trip: otherTrip)
        _ = try await cost(["amount": "450", "domain": "flights"])
        let otherApproval = try await Approval.query(on: app.db).filter(\.$agencyID == other.requireID()).first()!
        let moved = try await visitor.post("/approvals/\(otherApproval.id!)/link", form: ["token": token, "decision": "approve"])
        XCTAssertEqual(moved.status, .forbidden)
        // Decided once, with the comment; the second use is refused.
        let decided = try await visitor.post(
            "/approvals/\(approval.id!)/link", form: ["token": token, "decision": "approve", "comment": "OK, catégorie A"])
        XCTAssertEqual(decided.status, .ok, decided.body.string)
        still = try await Approval.find(approval.id, on: app.db)!
        XCTAssertEqual(still.status, .approved)
        XCTAssertEqual(still.decidedVia, .emailLink)
        XCTAssertEqual(still.decidedByEmail, "contact@horizon.example")
        XCTAssertEqual(still.comment, "OK, catégorie A")
        XCTAssertEqual(still.shownAmountMinor, 45_000)
        XCTAssertNotNil(still.decidedAt)
        let again = try await visitor.post("/approvals/\(approval.id!)/link", form: ["token": token, "decision": "deny"])
        XCTAssertEqual(again.status, .conflict)
        let reopened = try await visitor.get(deny)
        XCTAssertEqual(reopened.status, .conflict)
        let otherStill = try await Approval.find(otherApproval.id, on: app.db)!
        XCTAssertEqual(otherStill.status, .pending)
        let trail = try await AuditEntry.query(on: app.db).filter(\.$action == "approval.approved").first()
        // The chain proves the comment by its digest and never holds it in clear (an erasure cannot edit the chain).
        XCTAssertTrue(trail?.detail.contains(Tokens.keyedDigest("OK, catégorie A", secret: app.onspot.secretKey)) == true, trail?.detail ?? "")
        XCTAssertFalse(trail?.detail.contains("OK, catégorie A") == true)
    }

    func testAnApprovalLeftMidClaimByTheOldCodeIsPendingAgainAndCanBeDecided() async throws {
        _ = try await cost(["amount": "450"])
        let approval = try await Approval.query(on: app.db).first()!
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        try await sql.update(Approval.schema).set("status", to: "claim:8C1D").where("id", .equal, try approval.requireID()).run()
        do {
            _ = try await Approval.find(approval.id, on: app.db)
            XCTFail("a token in the status column is not a status")
        } catch {}
        try await M014_LeaseTokens.repairOldClaims(on: app.db)
        let repaired = try await Approval.find(approval.id, on: app.db)
        XCTAssertEqual(repaired?.status, .pending)
        let decided = try await ApprovalService.decide(
            try XCTUnwrap(repaired), approve: true, comment: nil, via: .portal, userID: nil, email: "admin@a.example", app: app, db: app.db)
        XCTAssertEqual(decided.status, .approved)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.approvalApproved.rawValue).count()
        XCTAssertEqual(audited, 1, "the decision and its audit entry commit together")
    }

    func testAnExpiredLinkIsGoneAndTheJobExpiresTheRequest() async throws {
        _ = try await cost(["amount": "450"])
        let approval = try await Approval.query(on: app.db).first()!
        let (approve, _) = links(in: try XCTUnwrap(smtp.messages.last))
        app.clock.advance(by: Approval.lifetime + 1)
        let visitor = TestBrowser(app: app)
        let gone = try await visitor.get(approve)
        XCTAssertEqual(gone.status, .gone)
        let token = URLComponents(string: approve)!.queryItems!.first { $0.name == "token" }!.value!
        let late = try await visitor.post("/approvals/\(approval.id!)/link", form: ["token": token, "decision": "approve"])
        XCTAssertEqual(late.status, .gone)
        let counts = try await ApprovalService.runDue(app: app, now: app.clock.now())
        XCTAssertEqual(counts.expired, 1)
        let expired = try await Approval.find(approval.id, on: app.db)!
        XCTAssertEqual(expired.status, .expired)
        let back = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(back.status, .inProgress, "the case goes back to the expert")
    }

    func testThePortalInboxDecidesWithACommentAndOtherAgenciesCannotSeeOrDecide() async throws {
        _ = try await cost(["amount": "450"])
        let approval = try await Approval.query(on: app.db).first()!
        let other = try await makeAgency("Evasion")
        try await makeUser("admin@evasion.example", role: .agencyAdmin, agency: other)
        let intruder = try await signedIn("admin@evasion.example")
        let theirInbox = try await intruder.get("/approvals")
        XCTAssertFalse(theirInbox.body.string.contains(approval.id!.uuidString))
        let theirDecision = try await intruder.post("/approvals/\(approval.id!)/decide", form: ["decision": "approve"])
        XCTAssertEqual(theirDecision.status, .notFound)
        let expertTry = try await expert.post("/approvals/\(approval.id!)/decide", form: ["decision": "approve"])
        XCTAssertEqual(expertTry.status, .notFound, "experts never decide for the agency")
        let admin = try await signedIn("admin@horizon.example")
        let dashboard = try await admin.get("/")
        XCTAssertTrue(dashboard.body.string.contains(#"id="pending-approvals""#))
        let inbox = try await admin.get("/approvals")
        XCTAssertTrue(inbox.body.string.contains(approval.id!.uuidString))
        let invalid = try await admin.post("/approvals/\(approval.id!)/decide", form: ["decision": "maybe"])
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        let denied = try await admin.post("/approvals/\(approval.id!)/decide", form: ["decision": "deny", "comment": "Trop cher, voir Avis."])
        XCTAssertEqual(denied.status, .seeOther)
        let saved = try await Approval.find(approval.id, on: app.db)!
        XCTAssertEqual(saved.status, .denied)
        XCTAssertEqual(saved.decidedVia, .portal)
        let adminUser = try await User.query(on: app.db).filter(\.$email == "admin@horizon.example").first()
        XCTAssertEqual(saved.decidedBy, adminUser?.id)
        let twice = try await admin.post("/approvals/\(approval.id!)/decide", form: ["decision": "approve"])
        XCTAssertEqual(twice.status, .conflict)
        let casePage = try await expert.get("/console/cases/\(record.id!)")
        XCTAssertTrue(casePage.body.string.contains("Trop cher, voir Avis."), "the expert sees the decision and its comment")
    }

    func testTheEmergencyOverrideNeedsAnEmergencyCaseAndAJustificationAndTellsTheAgencyAtOnce() async throws {
        let why = "Traveller fainted at JFK, taxi to the hospital needed now."
        let refused = try await cost(["domain": "transfers", "amount": "90", "emergency": "on", "justification": why])
        XCTAssertEqual(refused.status, .unprocessableEntity, "a car-rental case is no emergency")
        XCTAssertTrue(refused.body.string.contains(#"id="emergency-error""#))
        let classify = try await expert.post("/console/cases/\(record.id!)/classify", form: ["category": "medical_emergency", "priority": "urgent"])
        XCTAssertEqual(classify.status, .seeOther)
        let unjustified = try await cost(["domain": "transfers", "amount": "90", "emergency": "on", "justification": "urgent"])
        XCTAssertEqual(unjustified.status, .unprocessableEntity)
        XCTAssertTrue(unjustified.body.string.contains(#"id="justification-error""#))
        // Issue 18, item 5: the exception is for an agency that cannot be reached; the attempt comes first.
        let unattempted = try await cost(["domain": "transfers", "amount": "90", "emergency": "on", "justification": why])
        XCTAssertEqual(unattempted.status, .unprocessableEntity, "fails on the old code: no attempt to reach the agency was needed")
        XCTAssertTrue(unattempted.body.string.contains(HTML.escape(L10n.t("cost.error.no_contact_attempt", .fr))), unattempted.body.string)
        let badAttempt = try await expert.post(
            "/console/cases/\(record.id!)/contact-attempts", form: ["contactChannel": "pigeon", "contactResult": "no_answer"])
        XCTAssertEqual(badAttempt.status, .unprocessableEntity)
        let attempted = try await expert.post(
            "/console/cases/\(record.id!)/contact-attempts",
            form: ["contactChannel": "phone", "contactResult": "no_answer", "contactNote": "Standard de l'agence, 3 sonneries"])
        XCTAssertEqual(attempted.status, .seeOther, attempted.body.string)
        let attempt = try await AgencyContactAttempt.query(on: app.db).first()
        XCTAssertEqual(attempt?.channel, .phone)
        XCTAssertEqual(attempt?.result, .noAnswer)
        let shown = try await expert.get("/console/cases/\(record.id!)")
        XCTAssertTrue(shown.body.string.contains(#"class="contact-attempt""#))
        let sentBefore = smtp.messages.count
        let overridden = try await cost(["domain": "transfers", "amount": "90", "emergency": "on", "justification": why])
        XCTAssertEqual(overridden.status, .seeOther, overridden.body.string)
        let action = try await CostAction.query(on: app.db).first()!
        XCTAssertEqual(action.decision, .emergencyOverride)
        XCTAssertEqual(action.emergencyJustification, why)
        let recipients = Set(smtp.messages.dropFirst(sentBefore).flatMap(\.to))
        XCTAssertEqual(recipients, ["<contact@horizon.example>", "<admin@horizon.example>"], "every agency address, at once")
        let (subject, body) = SMTPStandIn.decode(smtp.messages.last!.data)
        XCTAssertTrue(subject.hasPrefix("URGENCE"), subject)
        XCTAssertTrue(body.contains(why))
        let hooks = try await WebhookDelivery.query(on: app.db).count()
        XCTAssertEqual(hooks, 0, "no endpoint configured: nothing to deliver")
        let flagged = try await AuditEntry.query(on: app.db).filter(\.$action == "cost.emergency_override").count()
        XCTAssertEqual(flagged, 1)
        let admin = try await signedIn("admin@horizon.example")
        let report = try await admin.get("/reports")
        XCTAssertTrue(report.body.string.contains(why), "flagged in the report")
        let dashboard = try await admin.get("/")
        XCTAssertTrue(dashboard.body.string.contains(#"id="recent-overrides""#), "and on the agency's dashboard")
    }

    func testAnOverrideWithoutAnAttemptIsAllowedOnlyWhenLifeIsAtStakeAndAttemptsStayWithinTheExpertsCases() async throws {
        let why = "Traveller unconscious in the hotel lobby, ambulance called now."
        let flagged = try await expert.post(
            "/console/cases/\(record.id!)/classify", form: ["category": "medical_emergency", "priority": "urgent", "safety": "on"])
        XCTAssertEqual(flagged.status, .seeOther)
        let overridden = try await cost(["domain": "transfers", "amount": "90", "emergency": "on", "justification": why])
        XCTAssertEqual(overridden.status, .seeOther, overridden.body.string)
        let action = try await CostAction.query(on: app.db).first()
        XCTAssertEqual(action?.decision, .emergencyOverride)
        // An expert of another destination cannot record attempts on this case; an agency user cannot reach the console.
        let other = try await makeUser("other@onspot.example", role: .expert, agency: nil)
        let paris = try await DestinationRecord.query(on: app.db).filter(\.$code != "us-nyc").first()
        let link = ExpertDestination()
        link.$user.id = try other.requireID()
        link.$destination.id = try XCTUnwrap(paris?.id)
        try await link.create(on: app.db)
        let outsider = try await signedIn("other@onspot.example")
        _ = try await outsider.get("/console")
        let refused = try await outsider.post(
            "/console/cases/\(record.id!)/contact-attempts", form: ["contactChannel": "phone", "contactResult": "no_answer"])
        XCTAssertEqual(refused.status, .notFound)
        let admin = try await signedIn("admin@horizon.example")
        let agencySide = try await admin.post(
            "/console/cases/\(record.id!)/contact-attempts", form: ["contactChannel": "phone", "contactResult": "no_answer"])
        XCTAssertNotEqual(agencySide.status, .seeOther)
        let count = try await AgencyContactAttempt.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testADecisionUsesTheScopeInForceWhenItIsMadeAndCitesIt() async throws {
        // After the trip was registered, the agency sets car rental to "inform only" (article 8: at any time).
        let rules = ScopeDomain.allCases.map { ScopeRule(domain: $0, level: .informOnly, capMinorUnits: 0) }
        let latest = try await ScopeService.saveVersion(ScopeOfAction(rules: rules), agencyID: agency.requireID(), by: nil, on: app.db)
        let res = try await cost(["amount": "100"])
        XCTAssertEqual(res.status, .seeOther, res.body.string)
        let action = try await CostAction.query(on: app.db).first()
        XCTAssertEqual(action?.decision, .notAllowed, "fails on the old code: the trip's registration-time version allowed it")
        XCTAssertEqual(action?.scopeVersionID, latest.id)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "cost.recorded").first()
        XCTAssertTrue(audited?.detail.contains(#""scopeVersion":"\#(latest.version)""#) == true, audited?.detail ?? "")
    }

    func testRemindersAndEscalationGoOnceEachOnTheAgencysDelay() async throws {
        let admin = try await signedIn("admin@horizon.example")
        _ = try await admin.get("/scope")
        let badDelay = try await admin.post("/scope/approvals", form: ["escalationContact": "boss@horizon.example", "delayMinutes": "2"])
        XCTAssertEqual(badDelay.status, .unprocessableEntity)
        let badMail = try await admin.post("/scope/approvals", form: ["escalationContact": "not-an-email", "delayMinutes": "60"])
        XCTAssertEqual(badMail.status, .unprocessableEntity)
        let saved = try await admin.post("/scope/approvals", form: ["escalationContact": "boss@horizon.example", "delayMinutes": "60"])
        XCTAssertEqual(saved.status, .seeOther)
        _ = try await cost(["amount": "450"])
        let start = Date()
        var counts = try await ApprovalService.runDue(app: app, now: start.addingTimeInterval(10 * 60))
        XCTAssertEqual(counts.reminded + counts.escalated, 0, "too early")
        counts = try await ApprovalService.runDue(app: app, now: start.addingTimeInterval(31 * 60))
        XCTAssertEqual(counts.reminded, 1)
        counts = try await ApprovalService.runDue(app: app, now: start.addingTimeInterval(40 * 60))
        XCTAssertEqual(counts.reminded, 0, "a rerun never reminds twice")
        counts = try await ApprovalService.runDue(app: app, now: start.addingTimeInterval(61 * 60))
        XCTAssertEqual(counts.escalated, 1)
        counts = try await ApprovalService.runDue(app: app, now: start.addingTimeInterval(90 * 60))
        XCTAssertEqual(counts.escalated, 0)
        let escalation = try XCTUnwrap(smtp.messages.last { $0.to == ["<boss@horizon.example>"] })
        let (approve, _) = links(in: escalation)
        let token = URLComponents(string: approve)!.queryItems!.first { $0.name == "token" }!.value!
        let approval = try await Approval.query(on: app.db).first()!
        let decided = try await TestBrowser(app: app).post("/approvals/\(approval.id!)/link", form: ["token": token, "decision": "approve"])
        XCTAssertEqual(decided.status, .ok, "the escalation contact's link works")
        let final = try await Approval.find(approval.id, on: app.db)!
        XCTAssertEqual(final.decidedByEmail, "contact@horizon.example, boss@horizon.example")
    }

    func testTheAuditTrailIsTheAgencysOwnExportableAndShowsTampering() async throws {
        _ = try await cost(["amount": "450"])
        let other = try await makeAgency("Evasion")
        try await makeUser("admin@evasion.example", role: .agencyAdmin, agency: other)
        let admin = try await signedIn("admin@horizon.example")
        let page = try await admin.get("/audit")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("cost.recorded"))
        XCTAssertTrue(page.body.string.contains("traveller_data.read"), "the expert's read of the traveller's data")
        XCTAssertTrue(page.body.string.contains(L10n.t("audit.intact", .fr).replacingOccurrences(of: "'", with: "&#39;")))
        let csv = try await admin.get("/audit.csv")
        XCTAssertEqual(csv.headers.contentType?.description.hasPrefix("text/csv"), true)
        let lines = csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, #""sequence","time","actor","action","subject_type","subject_id","detail","previous_hash","hash""#)
        XCTAssertTrue(lines.contains { $0.contains("approval.requested") })
        let intruder = try await signedIn("admin@evasion.example")
        let theirs = try await intruder.get("/audit.csv")
        XCTAssertFalse(theirs.body.string.contains("cost.recorded"), "another agency's trail stays hidden")
        let expertAudit = try await expert.get("/audit")
        XCTAssertEqual(expertAudit.status, .notFound)
        // Tampering with any entry shows.
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "cost.recorded").first()!
        entry.detail = entry.detail.replacingOccurrences(of: "45000", with: "4500")
        try await entry.save(on: app.db)
        let tampered = try await admin.get("/audit")
        XCTAssertTrue(tampered.body.string.contains("flash bad"), tampered.body.string)
    }

    func testTheMonthlyReportCountsCostsApprovalsAndTimeToDecision() async throws {
        _ = try await cost(["amount": "100"])
        _ = try await cost(["amount": "450"])
        _ = try await cost(["domain": "flights", "amount": "80"])
        let approvals = try await Approval.query(on: app.db).sort(\.$createdAt).all()
        _ = try await ApprovalService.decide(approvals[0], approve: true, comment: nil, via: .portal, userID: nil, email: nil, app: app, db: app.db)
        _ = try await ApprovalService.decide(approvals[1], approve: false, comment: nil, via: .portal, userID: nil, email: nil, app: app, db: app.db)
        let admin = try await signedIn("admin@horizon.example")
        let csv = try await admin.get("/reports.csv")
        XCTAssertEqual(csv.status, .ok)
        let text = csv.body.string
        XCTAssertTrue(text.contains(#""costs","car_rental","550.00"\#r\#n"#), text)
        XCTAssertFalse(text.contains(#""costs","flights""#), "a denied outlay is not committed")
        XCTAssertTrue(text.contains(#""approvals","approved","1"\#r\#n"#))
        XCTAssertTrue(text.contains(#""approvals","denied","1"\#r\#n"#))
        XCTAssertTrue(text.contains(#""approvals","median_minutes_to_decision","0"\#r\#n"#))
        XCTAssertTrue(text.contains(#""cases","opened","1"\#r\#n"#))
        let bad = try await admin.get("/reports?month=2026-13")
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let empty = try await admin.get("/reports.csv?month=2020-01")
        XCTAssertTrue(empty.body.string.contains(#""costs","total","0.00""#))
    }

    func testAdminsEditRatesAndEveryoneElseIsKeptOut() async throws {
        try await makeUser("ops@onspot.example", role: .onspotAdmin, agency: nil)
        let ops = try await signedIn("ops@onspot.example")
        _ = try await ops.get("/admin/rates")
        let bad = try await ops.post("/admin/rates", form: ["from": "MXN", "to": "EUR", "rate": "-1"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let same = try await ops.post("/admin/rates", form: ["from": "EUR", "to": "EUR", "rate": "1"])
        XCTAssertEqual(same.status, .unprocessableEntity)
        let ok = try await ops.post("/admin/rates", form: ["from": "MXN", "to": "EUR", "rate": "0,0500"])
        XCTAssertEqual(ok.status, .seeOther)
        let rate = try await ExchangeRateRecord.query(on: app.db).filter(\.$fromCurrency == .MXN).first()
        XCTAssertEqual(rate?.rate, "0.0500")
        _ = try await cost(["amount": "1000", "currency": "MXN"])
        let action = try await CostAction.query(on: app.db).first()!
        XCTAssertEqual(action.agencyAmountMinor, 5_000)
        XCTAssertEqual(action.exchangeRate, "0.0500", "the decision keeps the rate it used, whatever happens to the table later")
        let admin = try await signedIn("admin@horizon.example")
        let refused = try await admin.post("/admin/rates", form: ["from": "MXN", "to": "EUR", "rate": "9"])
        XCTAssertEqual(refused.status, .notFound)
        let expertRates = try await expert.get("/admin/rates")
        XCTAssertEqual(expertRates.status, .notFound)
    }

    func testTheAgencysSystemsListAndDecideThroughTheAPI() async throws {
        _ = try await cost(["amount": "450"])
        let key = try await makeApiKey(for: agency)
        let other = try await makeAgency("Evasion")
        let otherKey = try await makeApiKey(for: other)
        let list = try await app.sendRequest(.GET, "/api/v1/approvals?status=pending", headers: apiHeaders(key))
        XCTAssertEqual(list.status, .ok)
        let items = try XCTUnwrap(jsonObject(list)["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 1)
        XCTAssertEqual(items[0]["amountMinor"] as? Int, 45_000)
        let id = try XCTUnwrap(items[0]["id"] as? String)
        let badStatus = try await app.sendRequest(.GET, "/api/v1/approvals?status=maybe", headers: apiHeaders(key))
        XCTAssertEqual(badStatus.status, .unprocessableEntity)
        let theirs = try await app.sendRequest(.GET, "/api/v1/approvals", headers: apiHeaders(otherKey))
        XCTAssertEqual((jsonObject(theirs)["items"] as? [Any])?.count, 0)
        let stolen = try await app.sendRequest(
            .POST, "/api/v1/approvals/\(id)/decision", headers: apiHeaders(otherKey),
            body: jsonBody(["decision": "approve"]))
        XCTAssertEqual(stolen.status, .notFound)
        let invalid = try await app.sendRequest(
            .POST, "/api/v1/approvals/\(id)/decision", headers: apiHeaders(key), body: jsonBody(["decision": "yes"]))
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        let malformed = try await app.sendRequest(.POST, "/api/v1/approvals/\(id)/decision", headers: apiHeaders(key), body: jsonBody(["comment": 3]))
        XCTAssertEqual(malformed.status, .badRequest)
        let decided = try await app.sendRequest(
            .POST, "/api/v1/approvals/\(id)/decision", headers: apiHeaders(key),
            body: jsonBody(["decision": "approve", "comment": "Validé par le CRM"]))
        XCTAssertEqual(decided.status, .ok, decided.body.string)
        XCTAssertEqual(jsonObject(decided)["status"] as? String, "approved")
        XCTAssertEqual(jsonObject(decided)["decidedVia"] as? String, "api")
        let again = try await app.sendRequest(
            .POST, "/api/v1/approvals/\(id)/decision", headers: apiHeaders(key), body: jsonBody(["decision": "deny"]))
        XCTAssertEqual(again.status, .conflict)
        let saved = try await Approval.find(UUID(uuidString: id), on: app.db)!
        XCTAssertTrue(saved.decidedByEmail?.hasPrefix("api-key:osk_") == true, saved.decidedByEmail ?? "")
    }

    func testOnlyExpertsCoveringTheCaseRecordCostsOrClassifyIt() async throws {
        let rioExpert = try await makeUser("rio@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try rioExpert.requireID()
        link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!.requireID()
        try await link.create(on: app.db)
        let rio = try await signedIn("rio@onspot.example")
        let fields = ["domain": "car_rental", "supplier": "X", "purpose": "Y", "amount": "1", "currency": "EUR"]
        let cost = try await rio.post("/console/cases/\(record.id!)/costs", form: fields)
        XCTAssertEqual(cost.status, .notFound)
        let classify = try await rio.post("/console/cases/\(record.id!)/classify", form: ["category": "medical_emergency", "priority": "urgent"])
        XCTAssertEqual(classify.status, .notFound)
        let admin = try await signedIn("admin@horizon.example")
        let agencyCost = try await admin.post("/console/cases/\(record.id!)/costs", form: fields)
        XCTAssertEqual(agencyCost.status, .notFound, "agencies do not record costs")
        let badCategory = try await expert.post("/console/cases/\(record.id!)/classify", form: ["category": "volcano", "priority": "urgent"])
        XCTAssertEqual(badCategory.status, .unprocessableEntity)
        let unchanged = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(unchanged.category, .carRental)
        let count = try await CostAction.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testConcurrentAuditAppendsKeepOneUnbrokenChain() async throws {
        let before = try await AuditEntry.query(on: app.db).count()
        let app = self.app!
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<24 {
                group.addTask {
                    try await AuditLog.record(on: app.db, agencyID: nil, actor: nil, action: .tripUpdated, subjectType: "test", subjectID: String(i))
                }
            }
            try await group.waitForAll()
        }
        let after = try await AuditEntry.query(on: app.db).count()
        XCTAssertEqual(after - before, 24, "no append lost")
        let broken = try await AuditLog.verify(on: app.db)
        XCTAssertNil(broken)
    }
}
