import Fluent
import Vapor

func routes(_ app: Application) throws {
    registerPublicRoutes(app)
    registerProviderWebhooks(app)
    registerAPI(app)
    // Web: session, signed-in user, CSRF on every form.
    let web = app.grouped(app.sessions.middleware, User.sessionAuthenticator(), CurrentUserMiddleware(), CSRFMiddleware())
    registerSignIn(web)
    registerAgencyPortal(web)
    registerConsole(web)
    registerAdmin(web)
    registerFormerPaths(app)
}

/// Pages renamed to the glossary's names keep their old addresses as permanent redirects, so bookmarks and a form
/// left open across a deploy still land (GET: 301; POST: 308, which keeps the method and the body).
private func registerFormerPaths(_ app: any RoutesBuilder) {
    func formerPage(_ old: [PathComponent], _ new: SiteURL) {
        app.on(.GET, old) { req in req.redirect(to: new.path, redirectType: .permanent) }
    }
    func formerForm(_ old: [PathComponent], _ new: @escaping @Sendable (UUID) -> SiteURL, parameter: String? = nil) {
        app.on(.POST, old) { req -> Response in
            var id = SiteURL.Parameter.id
            if let parameter {
                guard let value = req.parameters.get(parameter, as: UUID.self) else { throw Abort(.notFound) }
                id = value
            }
            return req.redirect(to: new(id).path, redirectType: .permanentPost)
        }
    }
    formerPage(["packs"], .bookingConditions)
    formerForm(["packs"], { _ in .bookingConditions })
    formerForm(["packs", ":packID", "delete"], { .deleteBookingConditions($0) }, parameter: "packID")
    formerPage(["integrations"], .agencyWebhooks)
    formerForm(["integrations", "endpoints"], { _ in .agencyWebhookEndpoints })
    formerForm(["integrations", "endpoints", ":endpointID", "deactivate"], { .deactivateEndpoint($0) }, parameter: "endpointID")
    formerForm(["integrations", "deliveries", ":deliveryID", "replay"], { .replayDelivery($0) }, parameter: "deliveryID")
}

/// Health, static assets and the assistance card: no session.
private func registerPublicRoutes(_ app: any RoutesBuilder) {
    // Liveness: the process answers. Readiness: the database answers and every migration is applied.
    app.get("health") { _ in "ok" }
    app.get("metrics", use: MetricsController.scrape)
    app.get("ready", use: HealthController.ready)
    app.on(.GET, SiteURL.staticAsset("app.css").pathComponents) { _ -> Response in asset(Assets.css, "text/css; charset=utf-8") }
    app.on(.GET, SiteURL.staticAsset("app.js").pathComponents) { _ -> Response in asset(Assets.js, "text/javascript; charset=utf-8") }
    app.on(.GET, SiteURL.staticAsset("console.js").pathComponents) { _ -> Response in asset(ConsoleViews.js, "text/javascript; charset=utf-8") }

    // The assistance card: public, behind an unguessable token, no session.
    app.get(.card(SiteURL.Parameter.token), use: CardController.card)
    app.get(.cardPrint(SiteURL.Parameter.token), use: CardController.printCard)
    app.get(.cardVCard(SiteURL.Parameter.token), use: CardController.vcard)
    app.get(.cardLogo(SiteURL.Parameter.token), use: CardController.cardLogo)
}

/// Meta, Stripe and Twilio callbacks: each verifies its own signature.
private func registerProviderWebhooks(_ app: any RoutesBuilder) {
    // Provider webhooks: signature first, no session, their own body limit.
    app.get("webhooks", ":channel", use: InboundWebhooksController.verify)
    app.on(.POST, "webhooks", ":channel", body: .collect(maxSize: InboundWebhooksController.maximumBody), use: InboundWebhooksController.receive)

    // Stripe: its own signature and body limit; declared before the channels' parameter route matches "stripe".
    app.on(.POST, "webhooks", "stripe", body: .collect(maxSize: BillingController.maximumWebhookBody), use: BillingController.stripeWebhook)

    // FlightAware's alert callbacks: unsigned, so the URL carries an unguessable token (issue 14).
    app.on(
        .POST, "webhooks", "flightaware", ":token", body: .collect(maxSize: ByteCount(value: AlertsController.maximumCallbackBody)),
        use: AlertsController.flightAwareCallback)

    // The toll-free line: Twilio's signed form callbacks, answered with TwiML.
    let voice = app.grouped("webhooks", "twilio", "voice")
    voice.on(.POST, body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.incoming)
    voice.on(.POST, "consent", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.consent)
    voice.on(.POST, "voicemail", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.voicemail)
    voice.on(.POST, "transcription", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.transcription)
    voice.on(.POST, "recording", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.recording)
}

/// The JSON API of agencies' systems (OpenAPI at /api/v1/openapi.yaml).
private func registerAPI(_ app: any RoutesBuilder) {
    // API: API key, JSON, problem+json errors.
    let api = app.grouped("api", "v1")
    api.get("openapi.yaml", use: ApiTripsController.openAPI)
    let authed = api.grouped(ApiKeyMiddleware(), RequireJSONBodyMiddleware())
    authed.post("trips", use: ApiTripsController.create)
    authed.get("trips", use: ApiTripsController.list)
    authed.get("trips", ":tripID", use: ApiTripsController.show)
    authed.patch("trips", ":tripID", use: ApiTripsController.update)
    authed.post("trips", ":tripID", "cancel", use: ApiTripsController.cancel)
    authed.get("trips", ":tripID", "segments", use: ApiSegmentsController.list)
    authed.post("trips", ":tripID", "segments", use: ApiSegmentsController.create)
    authed.get("trips", ":tripID", "segments", ":segmentID", use: ApiSegmentsController.show)
    authed.patch("trips", ":tripID", "segments", ":segmentID", use: ApiSegmentsController.update)
    authed.delete("trips", ":tripID", "segments", ":segmentID", use: ApiSegmentsController.delete)
    // A file of at most 10 MB, with the multipart framing around it.
    authed.on(
        .POST, "trips", ":tripID", "documents", body: .collect(maxSize: ByteCount(value: DocumentReview.maximumFileRequestBytes)),
        use: ApiDocumentsController.create)
    authed.get("trips", ":tripID", "documents", ":documentID", use: ApiDocumentsController.show)
    authed.get("trips", ":tripID", "documents", ":documentID", "file", use: ApiDocumentsController.file)
    authed.post("trips", ":tripID", "documents", ":documentID", "accept", use: ApiDocumentsController.accept)
    authed.get("travellers", use: ApiTripsController.listTravellers)
    authed.get("travellers", ":travellerID", use: ApiTripsController.showTraveller)
    authed.patch("travellers", ":travellerID", use: ApiTripsController.updateTraveller)
    authed.get("travellers", ":travellerID", "export", use: PrivacyController.exportThroughAPI)
    authed.post("travellers", ":travellerID", "erasure", use: PrivacyController.eraseThroughAPI)
    authed.post("rights", "assessments", use: ApiRightsController.assess)
    authed.post("conditions", "assessments", use: ApiConditionsController.assess)
    authed.get("cases", use: ApiCasesController.list)
    authed.get("cases", ":caseID", use: ApiCasesController.show)
    authed.get("approvals", use: ApiApprovalsController.list)
    authed.get("alerts", use: AlertsController.list)
    authed.get("invoices", use: ApiBillingController.listInvoices)
    authed.get("invoices", ":invoiceID", use: ApiBillingController.showInvoice)
    authed.get("credits", use: ApiBillingController.credits)
    authed.get("reports", "monthly", use: ApiBillingController.monthlyReport)
    authed.get("webhook-endpoints", use: ApiWebhooksController.listEndpoints)
    authed.post("webhook-endpoints", use: ApiWebhooksController.createEndpoint)
    authed.get("webhook-endpoints", ":endpointID", use: ApiWebhooksController.showEndpoint)
    authed.post("webhook-endpoints", ":endpointID", "rotate-secret", use: ApiWebhooksController.rotateSecret)
    authed.post("webhook-endpoints", ":endpointID", "deactivate", use: ApiWebhooksController.deactivateEndpoint)
    authed.get("webhook-deliveries", use: ApiWebhooksController.listDeliveries)
    authed.get("webhook-deliveries", ":deliveryID", use: ApiWebhooksController.showDelivery)
    authed.post("webhook-deliveries", ":deliveryID", "replay", use: ApiWebhooksController.replayDelivery)
    authed.on(.POST, "extractions", body: .collect(maxSize: "4mb"), use: ApiExtractionsController.extract)
    authed.post("approvals", ":approvalID", "decision", use: ApiApprovalsController.decide)
}

/// Sign-in, sign-up, password reset, emailed approval links and the dashboard.
private func registerSignIn(_ web: any RoutesBuilder) {
    web.get(.login, use: AuthController.loginPage)
    web.post(.login, use: AuthController.login)
    web.post(.logout, use: AuthController.logout)
    web.get(.signup, use: AuthController.signupPage)
    web.post(.signup, use: AuthController.signup)
    web.get(.passwordForgot, use: AuthController.forgotPage)
    web.post(.passwordForgot, use: AuthController.forgot)
    web.get(.passwordReset, use: AuthController.resetPage)
    web.post(.passwordReset, use: AuthController.reset)

    // Emailed approval links: the signed token is the authority, so no sign-in; GET shows, POST decides.
    web.get(.approvalLink(SiteURL.Parameter.id), use: ApprovalsController.linkPage)
    web.post(.approvalLink(SiteURL.Parameter.id), use: ApprovalsController.decideLink)

    let anyone = web.grouped(RequireRole(roles: Set(Role.allCases)))
    anyone.get(.home, use: DashboardController.index)
}

/// The agency's pages: its staff, and its admins for settings and money.
private func registerAgencyPortal(_ web: any RoutesBuilder) {
    let agency = web.grouped(RequireRole(roles: [.agencyAdmin, .agencyAgent]))
    agency.get(.trips, use: TripsController.index)
    agency.get(.newTrip, use: TripsController.newPage)
    agency.post(.trips, use: TripsController.create)
    agency.get(.trip(SiteURL.Parameter.id), use: TripsController.show)
    agency.get(.editTrip(SiteURL.Parameter.id), use: TripsController.editPage)
    agency.post(.editTrip(SiteURL.Parameter.id), use: TripsController.update)
    agency.post(.cancelTrip(SiteURL.Parameter.id), use: TripsController.cancel)
    agency.get(.editTraveller(trip: SiteURL.Parameter.id, traveller: SiteURL.Parameter.id), use: TripsController.editTravellerPage)
    agency.post(.editTraveller(trip: SiteURL.Parameter.id, traveller: SiteURL.Parameter.id), use: TripsController.updateTraveller)
    agency.post(.tripSegments(SiteURL.Parameter.id), use: TripsController.addSegment)
    agency.post(
        .tripDocuments(SiteURL.Parameter.id), maximumBody: DocumentReview.maximumFileRequestBytes, use: TripsController.addDocument)
    agency.get(.documentFile(trip: SiteURL.Parameter.id, document: SiteURL.Parameter.id), use: ExtractionReviewController.file)
    agency.get(.documentReview(trip: SiteURL.Parameter.id, document: SiteURL.Parameter.id), use: ExtractionReviewController.review)
    agency.post(.documentAccept(trip: SiteURL.Parameter.id, document: SiteURL.Parameter.id), use: ExtractionReviewController.accept)
    agency.get(.scope, use: ScopeController.show)
    agency.get(.alerts, use: AlertsController.agencyPage)
    agency.get(.approvals, use: ApprovalsController.inbox)
    agency.post(.approvalDecision(SiteURL.Parameter.id), use: ApprovalsController.decidePortal)
    agency.get(.audit, use: AuditReportsController.audit)
    agency.get(.auditCSV, use: AuditReportsController.auditCSV)
    agency.get(.reports, use: AuditReportsController.reports)
    agency.get(.reportsCSV, use: AuditReportsController.reportsCSV)
    agency.get(.brandingLogo, use: CardController.portalLogo)
    agency.get(.tripPayment(SiteURL.Parameter.id), use: BillingController.paymentPage)
    agency.post(.tripPayment(SiteURL.Parameter.id), use: BillingController.pay)
    agency.get(.receipt(SiteURL.Parameter.id), use: BillingController.receipt)
    agency.get(.invoices, use: BillingController.invoices)
    agency.get(.invoice(SiteURL.Parameter.id), use: BillingController.invoice)
    agency.get(.invoicePDF(SiteURL.Parameter.id), use: BillingController.invoicePDF)
    agency.get(.creditNote(SiteURL.Parameter.id), use: BillingController.creditNote)
    agency.get(.creditNotePDF(SiteURL.Parameter.id), use: BillingController.creditNotePDF)
    agency.post(.payInvoice(SiteURL.Parameter.id), use: BillingController.payInvoice)
    agency.get(.commissions, use: BillingController.commissions)
    agency.get(.commissionsCSV, use: BillingController.commissionsCSV)
    agency.get(.credits, use: BillingController.credits)
    agency.get(.bookingConditions, use: RulePacksController.index)
    agency.post(.bookingConditions, use: RulePacksController.upload)
    agency.post(.deleteBookingConditions(SiteURL.Parameter.id), use: RulePacksController.delete)

    let agencyAdmin = web.grouped(RequireRole(roles: [.agencyAdmin]))
    agencyAdmin.post(.alertPreferences, use: AlertsController.savePreferences)
    agencyAdmin.get(.branding, use: AgencyAdminController.brandingPage)
    agencyAdmin.post(.branding, maximumBody: 300 * 1_024, use: AgencyAdminController.saveBranding)
    // The scope of action and its escalation settings are the agency admin's; agents read them at GET /scope.
    agencyAdmin.post(.scope, use: ScopeController.save)
    agencyAdmin.post(.scopeApprovals, use: ApprovalsController.saveSettings)
    agencyAdmin.get(.users, use: AgencyAdminController.usersPage)
    agencyAdmin.post(.users, use: AgencyAdminController.addUser)
    agencyAdmin.post(.deactivateUser(SiteURL.Parameter.id), use: AgencyAdminController.deactivateUser)
    agencyAdmin.get(.apiKeys, use: AgencyAdminController.apiKeysPage)
    agencyAdmin.post(.apiKeys, use: AgencyAdminController.createApiKey)
    agencyAdmin.post(.revokeApiKey(SiteURL.Parameter.id), use: AgencyAdminController.revokeApiKey)
    agencyAdmin.get(.agencyWebhooks, use: AgencyWebhooksController.page)
    agencyAdmin.post(.agencyWebhookEndpoints, use: AgencyWebhooksController.addEndpoint)
    agencyAdmin.post(.deactivateEndpoint(SiteURL.Parameter.id), use: AgencyWebhooksController.deactivate)
    agencyAdmin.post(.rotateEndpointSecret(SiteURL.Parameter.id), use: AgencyWebhooksController.rotateSecret)
    agencyAdmin.post(.replayDelivery(SiteURL.Parameter.id), use: AgencyWebhooksController.replay)
    agencyAdmin.post(.redeemCredits(SiteURL.Parameter.id), use: BillingController.redeem)
    agencyAdmin.post(.tripPaymentWithCredits(SiteURL.Parameter.id), use: BillingController.payTripWithCredits)
    agencyAdmin.post(.exportMiles, use: BillingController.exportMiles)
    agencyAdmin.post(.commissionClaims, use: CommissionClaimsController.submit)
    agencyAdmin.get(.account, use: AgencyAdminController.accountPage)
    agencyAdmin.post(.unsubscribe, use: AgencyAdminController.unsubscribe)
    agencyAdmin.get(.exportTraveller(trip: SiteURL.Parameter.id, traveller: SiteURL.Parameter.id), use: PrivacyController.exportFromPortal)
    agencyAdmin.post(.eraseTraveller(trip: SiteURL.Parameter.id, traveller: SiteURL.Parameter.id), use: PrivacyController.eraseFromPortal)
    agencyAdmin.post(.accountBilling, use: AgencyAdminController.saveBillingDetails)
    agencyAdmin.get(.privacy, use: DataProtectionController.record)
    agencyAdmin.post(.privacyRetention, use: DataProtectionController.saveRetention)
    agencyAdmin.get(.dataRequests, use: DataProtectionController.requests)
    agencyAdmin.post(.dataRequests, use: DataProtectionController.recordRequest)
    agencyAdmin.post(.extendDataRequest(SiteURL.Parameter.id), use: DataProtectionController.extend)
    agencyAdmin.post(.closeDataRequest(SiteURL.Parameter.id), use: DataProtectionController.close)
}

/// The expert console.
private func registerConsole(_ web: any RoutesBuilder) {
    let console = web.grouped(RequireRole(roles: [.expert, .onspotAdmin]))
    console.post(.caseMessages(SiteURL.Parameter.id), use: ConsoleController.reply)
    console.get(.console, use: ConsolePagesController.queue)
    console.get(.consoleQueueList, use: ConsolePagesController.queueList)
    console.get(.consoleCase(SiteURL.Parameter.id), use: ConsolePagesController.show)
    console.post(.takeCase(SiteURL.Parameter.id), use: ConsolePagesController.take)
    console.post(.resolveCase(SiteURL.Parameter.id), use: ConsolePagesController.resolve)
    console.post(.caseCosts(SiteURL.Parameter.id), use: CostsController.record)
    console.post(.classifyCase(SiteURL.Parameter.id), use: CostsController.classify)
    console.post(.caseContactAttempts(SiteURL.Parameter.id), use: CostsController.recordContactAttempt)
    console.post(.caseNotes(SiteURL.Parameter.id), use: CaseWorkController.addNote)
    console.post(.assignCase(SiteURL.Parameter.id), use: CaseWorkController.assign)
    console.post(.transferCase(SiteURL.Parameter.id), use: CaseWorkController.transfer)
    console.post(.linkCase(SiteURL.Parameter.id), use: CaseWorkController.link)
    console.post(.consoleDuty, use: CaseWorkController.duty)
    console.post(.caseActivities(SiteURL.Parameter.id), use: ActivitiesController.book)
    console.post(.cancelActivityBooking(case: SiteURL.Parameter.id, booking: SiteURL.Parameter.id), use: ActivitiesController.cancel)
    console.post(.caseRecommendations(SiteURL.Parameter.id), use: ActivitiesController.push)
    console.get(.attachment(SiteURL.Parameter.id), use: AttachmentsController.show)
    console.get(.recording(SiteURL.Parameter.id), use: AttachmentsController.recording)
    console.get(.caseRights(SiteURL.Parameter.id), use: RightsPanelController.show)
    console.post(.sendRights(SiteURL.Parameter.id), use: RightsPanelController.send)
    console.webSocket(SiteURL.consoleLive.pathComponents) { req, socket async in await ConsolePagesController.live(req: req, socket: socket) }
}

/// The OnSpot admin area.
private func registerAdmin(_ web: any RoutesBuilder) {
    let admin = web.grouped(RequireRole(roles: [.onspotAdmin]))
    admin.get(.adminDestinations, use: AdminController.destinations)
    admin.get(.adminDestination(SiteURL.Parameter.id), use: AdminController.editDestination)
    admin.post(.adminDestination(SiteURL.Parameter.id), use: AdminController.saveDestination)
    admin.post(.adminDestinationEndpoints(SiteURL.Parameter.id), use: AdminController.saveEndpoint)
    admin.get(.adminPlans, use: AdminController.plans)
    admin.post(.adminPlan(SiteURL.Parameter.id), use: AdminController.savePlan)
    admin.get(.adminRates, use: AuditReportsController.rates)
    admin.get(.adminActivities, use: ActivityCatalogueController.page)
    admin.get(.adminClaims, use: CommissionClaimsController.adminList)
    admin.get(.adminRetention, use: DataProtectionController.adminRetention)
    admin.get(.adminSupervision, use: SupervisionController.page)
    admin.get(.adminAlerts, use: AlertsController.adminPage)
    admin.post(.adminAlerts, use: AlertsController.saveThresholds)
    admin.post(.adminRetention, use: DataProtectionController.saveAdminRetention)
    admin.post(.decideClaim(SiteURL.Parameter.id), use: CommissionClaimsController.decide)
    admin.post(.adminActivities, use: ActivityCatalogueController.add)
    admin.post(.toggleActivity(SiteURL.Parameter.id), use: ActivityCatalogueController.toggle)
    admin.post(.adminRates, use: AuditReportsController.saveRate)
}

private func asset(_ text: String, _ type: String) -> Response {
    let response = Response(status: .ok, body: .init(string: text))
    response.headers.replaceOrAdd(name: .contentType, value: type)
    response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
    return response
}
