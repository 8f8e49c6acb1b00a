import Foundation
import Vapor
import XCTest

@testable import OnSpotServer

final class SiteURLTests: ServerTestCase {
    static let id = UUID()

    /// One of each case; the switch below fails to compile when a case is added without being listed here.
    static let samples: [SiteURL] = [
        .home, .login, .logout, .signup, .passwordForgot, .passwordReset, .staticAsset("app.css"), .staticAsset("app.js"),
        .staticAsset("console.js"), .trips, .newTrip, .trip(id), .editTrip(id), .cancelTrip(id), .tripSegments(id), .tripDocuments(id),
        .editTraveller(trip: id, traveller: id),
        .exportTraveller(trip: id, traveller: id), .eraseTraveller(trip: id, traveller: id),
        .documentReview(trip: id, document: id), .documentAccept(trip: id, document: id), .documentFile(trip: id, document: id),
        .card("t"), .cardPrint("t"), .cardVCard("t"), .cardLogo("t"), .scope, .scopeApprovals, .approvals, .approvalDecision(id),
        .approvalLink(id), .audit, .auditCSV, .reports, .reportsCSV, .branding, .brandingLogo, .users, .deactivateUser(id), .apiKeys,
        .revokeApiKey(id), .agencyWebhooks, .agencyWebhookEndpoints, .deactivateEndpoint(id), .rotateEndpointSecret(id), .replayDelivery(id),
        .account, .accountBilling,
        .unsubscribe, .bookingConditions, .deleteBookingConditions(id), .tripPayment(id), .tripPaymentWithCredits(id), .receipt(id), .invoices,
        .invoice(id),
        .invoicePDF(id), .creditNote(id), .creditNotePDF(id),
        .payInvoice(id),
        .redeemCredits(id), .commissions, .commissionsCSV, .commissionClaims, .credits, .exportMiles, .console, .consoleDuty,
        .consoleLive, .attachment(id), .consoleCase(id), .caseMessages(id), .takeCase(id), .resolveCase(id), .caseCosts(id),
        .classifyCase(id), .caseNotes(id), .assignCase(id), .transferCase(id), .linkCase(id), .caseActivities(id),
        .caseRecommendations(id), .caseRights(id), .sendRights(id), .caseContactAttempts(id),
        .cancelActivityBooking(case: id, booking: id), .adminDestinations, .adminDestination(id),
        .adminDestinationEndpoints(id), .adminPlans, .adminPlan(id), .adminRates, .adminActivities, .toggleActivity(id), .adminClaims,
        .decideClaim(id), .privacy, .privacyRetention, .dataRequests, .extendDataRequest(id), .closeDataRequest(id), .adminRetention,
        .adminSupervision, .recording(id), .consoleQueueList, .alerts, .alertPreferences, .adminAlerts
    ]

    func listed(_ url: SiteURL) {
        switch url {
        case .home, .login, .logout, .signup, .passwordForgot, .passwordReset, .staticAsset, .trips, .newTrip, .trip, .editTrip,
            .cancelTrip, .tripSegments, .tripDocuments, .editTraveller, .exportTraveller, .eraseTraveller,
            .documentReview, .documentAccept, .documentFile, .card, .cardPrint,
            .cardVCard,
            .cardLogo, .scope, .scopeApprovals, .approvals, .approvalDecision, .approvalLink, .audit, .auditCSV, .reports, .reportsCSV,
            .branding, .brandingLogo, .users, .deactivateUser, .apiKeys, .revokeApiKey, .agencyWebhooks, .agencyWebhookEndpoints,
            .deactivateEndpoint, .rotateEndpointSecret, .replayDelivery, .account, .accountBilling, .unsubscribe, .bookingConditions,
            .deleteBookingConditions, .tripPayment,
            .tripPaymentWithCredits,
            .receipt, .invoices, .invoice, .invoicePDF, .creditNote, .creditNotePDF, .payInvoice, .redeemCredits, .commissions, .commissionsCSV,
            .commissionClaims, .credits,
            .exportMiles, .console, .consoleDuty, .consoleLive, .attachment, .consoleCase, .caseMessages, .takeCase, .resolveCase,
            .caseCosts, .classifyCase, .caseNotes, .assignCase, .transferCase, .linkCase, .caseActivities, .caseRecommendations,
            .caseRights, .sendRights, .caseContactAttempts, .cancelActivityBooking, .adminDestinations, .adminDestination, .adminDestinationEndpoints,
            .adminPlans,
            .adminPlan,
            .adminRates, .adminActivities, .toggleActivity, .adminClaims, .decideClaim, .privacy, .privacyRetention, .dataRequests,
            .extendDataRequest, .closeDataRequest, .adminRetention, .adminSupervision, .recording, .consoleQueueList,
            .alerts, .alertPreferences, .adminAlerts:
            break
        }
    }

    func testEveryLinkTheSiteBuildsIsARegisteredRoute() {
        let registered = Set(app.routes.all.map { $0.path.map(\.description).joined(separator: "/") })
        for url in Self.samples {
            listed(url)
            let pattern = url.pathComponents.map(\.description).joined(separator: "/")
            XCTAssertTrue(registered.contains(pattern), "\(url.path) has no route (\(pattern))")
        }
    }

    func testALinkFillsItsParameters() {
        let trip = UUID()
        let traveller = UUID()
        XCTAssertEqual(SiteURL.home.path, "/")
        XCTAssertEqual(
            SiteURL.editTraveller(trip: trip, traveller: traveller).path, "/trips/\(trip.uuidString)/travellers/\(traveller.uuidString)/edit")
        XCTAssertEqual(SiteURL.trip(trip).with("#documents"), "/trips/\(trip.uuidString)#documents")
        XCTAssertEqual(SiteURL.card("a b").path, "/card/a%20b", "a token is percent-encoded")
        XCTAssertEqual(SiteURL.trip(SiteURL.Parameter.id).pathComponents.map(\.description), ["trips", ":tripID"])
    }

    func testRenamedPagesRedirectFromTheirFormerAddresses() async throws {
        let id = UUID()
        try await app.test(.GET, "/packs") { res async in
            XCTAssertEqual(res.status, .movedPermanently)
            XCTAssertEqual(res.headers.first(name: .location), "/conditions")
        }
        try await app.test(.GET, "/integrations") { res async in
            XCTAssertEqual(res.status, .movedPermanently)
            XCTAssertEqual(res.headers.first(name: .location), "/agency-webhooks")
        }
        // A form posted to a former address keeps its method and body (308) and its id.
        try await app.test(.POST, "/integrations/deliveries/\(id.uuidString)/replay") { res async in
            XCTAssertEqual(res.status, .permanentRedirect)
            XCTAssertEqual(res.headers.first(name: .location), SiteURL.replayDelivery(id).path)
        }
        try await app.test(.POST, "/packs/not-an-id/delete") { res async in XCTAssertEqual(res.status, .notFound) }
    }
}
