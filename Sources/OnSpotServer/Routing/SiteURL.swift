import Foundation
import Vapor

/// Every page and form target of the portal, the console, the admin area and the assistance card. Routes are
/// registered from these (`routes.swift`) and every link and redirect is built from them, so a path is written once.
/// A case's ids fill its parameters when it is a link; registered with `SiteURL.Parameter.id`, they become the
/// route's named parameters (`:tripID`…) that the controllers read.
enum SiteURL: Equatable, Sendable {
    case home
    case login, logout, signup, passwordForgot, passwordReset
    case staticAsset(String)
    // Trips.
    case trips, newTrip
    case trip(UUID), editTrip(UUID), cancelTrip(UUID), tripSegments(UUID), tripDocuments(UUID)
    case editTraveller(trip: UUID, traveller: UUID), exportTraveller(trip: UUID, traveller: UUID)
    case eraseTraveller(trip: UUID, traveller: UUID)
    case documentReview(trip: UUID, document: UUID), documentAccept(trip: UUID, document: UUID), documentFile(trip: UUID, document: UUID)
    case card(String), cardPrint(String), cardVCard(String), cardLogo(String)
    // The agency's settings, approvals and records.
    case scope, scopeApprovals
    case approvals, approvalDecision(UUID), approvalLink(UUID)
    case audit, auditCSV, reports, reportsCSV
    case branding, brandingLogo
    case users, deactivateUser(UUID), apiKeys, revokeApiKey(UUID)
    case agencyWebhooks, agencyWebhookEndpoints, deactivateEndpoint(UUID), rotateEndpointSecret(UUID), replayDelivery(UUID)
    case account, accountBilling, unsubscribe
    case privacy, privacyRetention, dataRequests, extendDataRequest(UUID), closeDataRequest(UUID)
    case bookingConditions, deleteBookingConditions(UUID)
    // Billing.
    case tripPayment(UUID), tripPaymentWithCredits(UUID), receipt(UUID)
    case invoices, invoice(UUID), invoicePDF(UUID), payInvoice(UUID), redeemCredits(UUID), creditNote(UUID), creditNotePDF(UUID)
    case commissions, commissionsCSV, commissionClaims, credits, exportMiles
    // The console.
    case console, consoleDuty, consoleLive, attachment(UUID)
    case consoleCase(UUID), caseMessages(UUID), takeCase(UUID), resolveCase(UUID), caseCosts(UUID), classifyCase(UUID)
    case caseNotes(UUID), assignCase(UUID), transferCase(UUID), linkCase(UUID), caseActivities(UUID), caseRecommendations(UUID)
    case caseRights(UUID), sendRights(UUID), caseContactAttempts(UUID), cancelActivityBooking(case: UUID, booking: UUID)
    // The OnSpot admin area.
    case adminDestinations, adminDestination(UUID), adminDestinationEndpoints(UUID)
    case adminPlans, adminPlan(UUID), adminRates, adminActivities, toggleActivity(UUID), adminClaims, decideClaim(UUID)
    case adminRetention
    case adminSupervision
    case recording(UUID)
    case consoleQueueList
    case alerts, alertPreferences, adminAlerts

    /// Placeholders that register a case as a route: its ids and tokens become the named parameters.
    enum Parameter {
        static let id = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        static let token = ""
    }

    private enum Segment {
        case literal(String)
        case id(UUID, name: String)
        case token(String, name: String)
    }

    private var segments: [Segment] {
        func l(_ parts: String...) -> [Segment] { parts.map(Segment.literal) }
        switch self {
        case .home: return []
        case .login: return l("login")
        case .logout: return l("logout")
        case .signup: return l("signup")
        case .passwordForgot: return l("password", "forgot")
        case .passwordReset: return l("password", "reset")
        case .staticAsset(let name): return l("static", name)
        case .trips: return l("trips")
        case .newTrip: return l("trips", "new")
        case .trip(let id): return l("trips") + [.id(id, name: "tripID")]
        case .editTrip(let id): return l("trips") + [.id(id, name: "tripID")] + l("edit")
        case .cancelTrip(let id): return l("trips") + [.id(id, name: "tripID")] + l("cancel")
        case .tripSegments(let id): return l("trips") + [.id(id, name: "tripID")] + l("segments")
        case .tripDocuments(let id): return l("trips") + [.id(id, name: "tripID")] + l("documents")
        case .editTraveller(let trip, let traveller):
            return l("trips") + [.id(trip, name: "tripID")] + l("travellers") + [.id(traveller, name: "travellerID")] + l("edit")
        case .eraseTraveller(let trip, let traveller):
            return l("trips") + [.id(trip, name: "tripID")] + l("travellers") + [.id(traveller, name: "travellerID")] + l("erase")
        case .exportTraveller(let trip, let traveller):
            return l("trips") + [.id(trip, name: "tripID")] + l("travellers") + [.id(traveller, name: "travellerID")] + l("export")
        case .documentReview(let trip, let document):
            return l("trips") + [.id(trip, name: "tripID")] + l("documents") + [.id(document, name: "documentID")] + l("review")
        case .documentAccept(let trip, let document):
            return l("trips") + [.id(trip, name: "tripID")] + l("documents") + [.id(document, name: "documentID")] + l("accept")
        case .documentFile(let trip, let document):
            return l("trips") + [.id(trip, name: "tripID")] + l("documents") + [.id(document, name: "documentID")] + l("file")
        case .card(let token): return l("card") + [.token(token, name: "token")]
        case .cardPrint(let token): return l("card") + [.token(token, name: "token")] + l("print")
        case .cardVCard(let token): return l("card") + [.token(token, name: "token")] + l("vcard")
        case .cardLogo(let token): return l("card") + [.token(token, name: "token")] + l("logo")
        case .scope: return l("scope")
        case .scopeApprovals: return l("scope", "approvals")
        case .approvals: return l("approvals")
        case .approvalDecision(let id): return l("approvals") + [.id(id, name: "approvalID")] + l("decide")
        case .approvalLink(let id): return l("approvals") + [.id(id, name: "approvalID")] + l("link")
        case .audit: return l("audit")
        case .auditCSV: return l("audit.csv")
        case .reports: return l("reports")
        case .reportsCSV: return l("reports.csv")
        case .branding: return l("branding")
        case .brandingLogo: return l("branding", "logo")
        case .users: return l("users")
        case .deactivateUser(let id): return l("users") + [.id(id, name: "userID")] + l("deactivate")
        case .apiKeys: return l("api-keys")
        case .revokeApiKey(let id): return l("api-keys") + [.id(id, name: "keyID")] + l("revoke")
        case .agencyWebhooks: return l("agency-webhooks")
        case .agencyWebhookEndpoints: return l("agency-webhooks", "endpoints")
        case .deactivateEndpoint(let id): return l("agency-webhooks", "endpoints") + [.id(id, name: "endpointID")] + l("deactivate")
        case .rotateEndpointSecret(let id): return l("agency-webhooks", "endpoints") + [.id(id, name: "endpointID")] + l("rotate-secret")
        case .replayDelivery(let id): return l("agency-webhooks", "deliveries") + [.id(id, name: "deliveryID")] + l("replay")
        case .account: return l("account")
        case .accountBilling: return l("account", "billing")
        case .unsubscribe: return l("account", "unsubscribe")
        case .privacy: return l("privacy")
        case .privacyRetention: return l("privacy", "retention")
        case .dataRequests: return l("privacy", "requests")
        case .extendDataRequest(let id): return l("privacy", "requests") + [.id(id, name: "requestID")] + l("extend")
        case .closeDataRequest(let id): return l("privacy", "requests") + [.id(id, name: "requestID")] + l("close")
        case .bookingConditions: return l("conditions")
        case .deleteBookingConditions(let id): return l("conditions") + [.id(id, name: "packID")] + l("delete")
        case .tripPayment(let id): return l("trips") + [.id(id, name: "tripID")] + l("payment")
        case .tripPaymentWithCredits(let id): return l("trips") + [.id(id, name: "tripID")] + l("payment", "credits")
        case .receipt(let id): return l("payments") + [.id(id, name: "paymentID")] + l("receipt")
        case .invoices: return l("invoices")
        case .invoice(let id): return l("invoices") + [.id(id, name: "invoiceID")]
        case .invoicePDF(let id): return l("invoices") + [.id(id, name: "invoiceID")] + l("pdf")
        case .payInvoice(let id): return l("invoices") + [.id(id, name: "invoiceID")] + l("pay")
        case .redeemCredits(let id): return l("invoices") + [.id(id, name: "invoiceID")] + l("redeem")
        case .creditNote(let id): return l("credit-notes") + [.id(id, name: "creditNoteID")]
        case .creditNotePDF(let id): return l("credit-notes") + [.id(id, name: "creditNoteID")] + l("pdf")
        case .commissions: return l("commissions")
        case .commissionsCSV: return l("commissions.csv")
        case .commissionClaims: return l("commissions", "claims")
        case .credits: return l("credits")
        case .exportMiles: return l("credits", "export")
        case .console: return l("console")
        case .consoleDuty: return l("console", "duty")
        case .consoleLive: return l("console", "live")
        case .attachment(let id): return l("console", "attachments") + [.id(id, name: "attachmentID")]
        case .consoleCase(let id): return l("console", "cases") + [.id(id, name: "caseID")]
        case .caseMessages(let id): return Self.consoleCase(id).segments + l("messages")
        case .takeCase(let id): return Self.consoleCase(id).segments + l("take")
        case .resolveCase(let id): return Self.consoleCase(id).segments + l("resolve")
        case .caseCosts(let id): return Self.consoleCase(id).segments + l("costs")
        case .classifyCase(let id): return Self.consoleCase(id).segments + l("classify")
        case .caseNotes(let id): return Self.consoleCase(id).segments + l("notes")
        case .assignCase(let id): return Self.consoleCase(id).segments + l("assign")
        case .transferCase(let id): return Self.consoleCase(id).segments + l("transfer")
        case .linkCase(let id): return Self.consoleCase(id).segments + l("link")
        case .caseActivities(let id): return Self.consoleCase(id).segments + l("activities")
        case .caseRecommendations(let id): return Self.consoleCase(id).segments + l("recommendations")
        case .caseRights(let id): return Self.consoleCase(id).segments + l("rights")
        case .sendRights(let id): return Self.consoleCase(id).segments + l("rights", "send")
        case .caseContactAttempts(let id): return Self.consoleCase(id).segments + l("contact-attempts")
        case .cancelActivityBooking(let id, let booking):
            return Self.consoleCase(id).segments + l("activities") + [.id(booking, name: "bookingID")] + l("cancel")
        case .adminDestinations: return l("admin", "destinations")
        case .adminDestination(let id): return l("admin", "destinations") + [.id(id, name: "destinationID")]
        case .adminDestinationEndpoints(let id): return l("admin", "destinations") + [.id(id, name: "destinationID")] + l("endpoints")
        case .adminPlans: return l("admin", "plans")
        case .adminPlan(let id): return l("admin", "plans") + [.id(id, name: "planID")]
        case .adminRates: return l("admin", "rates")
        case .adminActivities: return l("admin", "activities")
        case .toggleActivity(let id): return l("admin", "activities") + [.id(id, name: "activityID")] + l("toggle")
        case .adminClaims: return l("admin", "claims")
        case .decideClaim(let id): return l("admin", "claims") + [.id(id, name: "claimID")] + l("decide")
        case .adminRetention: return l("admin", "retention")
        case .adminSupervision: return l("admin", "supervision")
        case .recording(let id): return l("console", "recordings") + [.id(id, name: "messageID")]
        case .consoleQueueList: return l("console", "queue-list")
        case .alerts: return l("alerts")
        case .alertPreferences: return l("alerts", "preferences")
        case .adminAlerts: return l("admin", "alerts")
        }
    }

    /// The link: "/trips/6F1C…/edit".
    var path: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .id(let id, _): id.uuidString
                case .token(let token, _): token.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? token
                }
            }.joined(separator: "/")
    }

    /// The link with a query or a fragment: `.trips.with("?status=upcoming")`, `.trip(id).with("#documents")`.
    func with(_ suffix: String) -> String { path + suffix }

    /// The route: ids and tokens become named parameters.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .literal(let text): .constant(text)
            case .id(_, let name), .token(_, let name): .parameter(name)
            }
        }
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        on(.GET, url.pathComponents, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        on(.POST, url.pathComponents, use: closure)
    }

    /// A form taking a larger body than the default (a file, a logo): the limit stated once, for the route and for the
    /// CSRF check, which reads a streamed body before the route does (`Route.maximumBody`).
    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, maximumBody bytes: Int, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, url.pathComponents, body: .collect(maxSize: ByteCount(value: bytes)), use: closure)
        route.maximumBody = bytes
        return route
    }
}

extension Request {
    /// A redirect to one of the site's pages.
    func redirect(to url: SiteURL) -> Response { redirect(to: url.path) }
}
