import Fluent
import Vapor

func routes(_ app: Application) throws {
    // Liveness: the process answers. Readiness: the database answers and every migration is applied.
    app.get("health") { _ in "ok" }
    app.get("ready", use: HealthController.ready)
    app.get("static", "app.css") { _ -> Response in asset(Assets.css, "text/css; charset=utf-8") }
    app.get("static", "app.js") { _ -> Response in asset(Assets.js, "text/javascript; charset=utf-8") }
    app.get("static", "console.js") { _ -> Response in asset(ConsoleViews.js, "text/javascript; charset=utf-8") }

    // The assistance card: public, behind an unguessable token, no session.
    app.get("card", ":token", use: CardController.card)
    app.get("card", ":token", "print", use: CardController.printCard)
    app.get("card", ":token", "vcard", use: CardController.vcard)
    app.get("card", ":token", "logo", use: CardController.cardLogo)

    // Provider webhooks: signature first, no session, their own body limit.
    app.get("webhooks", ":channel", use: WebhooksController.verify)
    app.on(.POST, "webhooks", ":channel", body: .collect(maxSize: WebhooksController.maximumBody), use: WebhooksController.receive)

    // Stripe: its own signature and body limit; declared before the channels' parameter route matches "stripe".
    app.on(.POST, "webhooks", "stripe", body: .collect(maxSize: BillingController.maximumWebhookBody), use: BillingController.stripeWebhook)

    // The toll-free line: Twilio's signed form callbacks, answered with TwiML.
    let voice = app.grouped("webhooks", "twilio", "voice")
    voice.on(.POST, body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.incoming)
    voice.on(.POST, "consent", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.consent)
    voice.on(.POST, "voicemail", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.voicemail)
    voice.on(.POST, "transcription", body: .collect(maxSize: VoiceController.maximumBody), use: VoiceController.transcription)

    // API: API key, JSON, problem+json errors.
    let api = app.grouped("api", "v1")
    api.get("openapi.yaml", use: ApiTripsController.openAPI)
    let authed = api.grouped(ApiKeyMiddleware(), RequireJSONBodyMiddleware())
    authed.post("trips", use: ApiTripsController.create)
    authed.get("trips", use: ApiTripsController.list)
    authed.get("trips", ":tripID", use: ApiTripsController.show)
    authed.patch("trips", ":tripID", use: ApiTripsController.update)
    authed.post("trips", ":tripID", "cancel", use: ApiTripsController.cancel)
    authed.get("travellers", use: ApiTripsController.listTravellers)
    authed.get("travellers", ":travellerID", use: ApiTripsController.showTraveller)
    authed.patch("travellers", ":travellerID", use: ApiTripsController.updateTraveller)
    authed.post("rights", "assessments", use: ApiRightsController.assess)
    authed.post("conditions", "assessments", use: ApiConditionsController.assess)
    authed.get("approvals", use: ApiApprovalsController.list)
    authed.on(.POST, "extractions", body: .collect(maxSize: "4mb"), use: ApiExtractionsController.extract)
    authed.post("approvals", ":approvalID", "decision", use: ApiApprovalsController.decide)

    // Web: session, signed-in user, CSRF on every form.
    let web = app.grouped(app.sessions.middleware, User.sessionAuthenticator(), CurrentUserMiddleware(), CSRFMiddleware())
    web.get("login", use: AuthController.loginPage)
    web.post("login", use: AuthController.login)
    web.post("logout", use: AuthController.logout)
    web.get("signup", use: AuthController.signupPage)
    web.post("signup", use: AuthController.signup)
    web.get("password", "forgot", use: AuthController.forgotPage)
    web.post("password", "forgot", use: AuthController.forgot)
    web.get("password", "reset", use: AuthController.resetPage)
    web.post("password", "reset", use: AuthController.reset)

    // Emailed approval links: the signed token is the authority, so no sign-in; GET shows, POST decides.
    web.get("approvals", ":approvalID", "link", use: ApprovalsController.linkPage)
    web.post("approvals", ":approvalID", "link", use: ApprovalsController.decideLink)

    let anyone = web.grouped(RequireRole(roles: Set(Role.allCases)))
    anyone.get(use: DashboardController.index)

    let agency = web.grouped(RequireRole(roles: [.agencyAdmin, .agencyAgent]))
    agency.get("trips", use: TripsController.index)
    agency.get("trips", "new", use: TripsController.newPage)
    agency.post("trips", use: TripsController.create)
    agency.get("trips", ":tripID", use: TripsController.show)
    agency.get("trips", ":tripID", "edit", use: TripsController.editPage)
    agency.post("trips", ":tripID", "edit", use: TripsController.update)
    agency.post("trips", ":tripID", "cancel", use: TripsController.cancel)
    agency.get("trips", ":tripID", "travellers", ":travellerID", "edit", use: TripsController.editTravellerPage)
    agency.post("trips", ":tripID", "travellers", ":travellerID", "edit", use: TripsController.updateTraveller)
    agency.post("trips", ":tripID", "segments", use: TripsController.addSegment)
    agency.post("trips", ":tripID", "documents", use: TripsController.addDocument)
    agency.get("trips", ":tripID", "documents", ":documentID", "review", use: ExtractionReviewController.review)
    agency.post("trips", ":tripID", "documents", ":documentID", "accept", use: ExtractionReviewController.accept)
    agency.get("scope", use: ScopeController.show)
    agency.get("approvals", use: ApprovalsController.inbox)
    agency.post("approvals", ":approvalID", "decide", use: ApprovalsController.decidePortal)
    agency.get("audit", use: AuditReportsController.audit)
    agency.get("audit.csv", use: AuditReportsController.auditCSV)
    agency.get("reports", use: AuditReportsController.reports)
    agency.get("reports.csv", use: AuditReportsController.reportsCSV)
    agency.get("branding", "logo", use: CardController.portalLogo)
    agency.get("trips", ":tripID", "payment", use: BillingController.paymentPage)
    agency.post("trips", ":tripID", "payment", use: BillingController.pay)
    agency.get("payments", ":paymentID", "receipt", use: BillingController.receipt)
    agency.get("invoices", use: BillingController.invoices)
    agency.get("invoices", ":invoiceID", use: BillingController.invoice)
    agency.post("invoices", ":invoiceID", "pay", use: BillingController.payInvoice)
    agency.get("commissions", use: BillingController.commissions)
    agency.get("commissions.csv", use: BillingController.commissionsCSV)
    agency.get("credits", use: BillingController.credits)
    agency.get("packs", use: RulePacksController.index)
    agency.post("packs", use: RulePacksController.upload)
    agency.post("packs", ":packID", "delete", use: RulePacksController.delete)

    let agencyAdmin = web.grouped(RequireRole(roles: [.agencyAdmin]))
    agencyAdmin.get("branding", use: AgencyAdminController.brandingPage)
    agencyAdmin.on(.POST, "branding", body: .collect(maxSize: "300kb"), use: AgencyAdminController.saveBranding)
    // The scope of action and its escalation settings are the agency admin's; agents read them at GET /scope.
    agencyAdmin.post("scope", use: ScopeController.save)
    agencyAdmin.post("scope", "approvals", use: ApprovalsController.saveSettings)
    agencyAdmin.get("users", use: AgencyAdminController.usersPage)
    agencyAdmin.post("users", use: AgencyAdminController.addUser)
    agencyAdmin.post("users", ":userID", "deactivate", use: AgencyAdminController.deactivateUser)
    agencyAdmin.get("api-keys", use: AgencyAdminController.apiKeysPage)
    agencyAdmin.post("api-keys", use: AgencyAdminController.createApiKey)
    agencyAdmin.post("api-keys", ":keyID", "revoke", use: AgencyAdminController.revokeApiKey)
    agencyAdmin.get("integrations", use: IntegrationsController.page)
    agencyAdmin.post("integrations", "endpoints", use: IntegrationsController.addEndpoint)
    agencyAdmin.post("integrations", "endpoints", ":endpointID", "deactivate", use: IntegrationsController.deactivate)
    agencyAdmin.post("integrations", "deliveries", ":deliveryID", "replay", use: IntegrationsController.replay)
    agencyAdmin.post("invoices", ":invoiceID", "redeem", use: BillingController.redeem)
    agencyAdmin.post("trips", ":tripID", "payment", "credits", use: BillingController.payTripWithCredits)
    agencyAdmin.post("credits", "export", use: BillingController.exportMiles)
    agencyAdmin.post("commissions", "claims", use: CommissionClaimsController.submit)
    agencyAdmin.get("account", use: AgencyAdminController.accountPage)
    agencyAdmin.post("account", "unsubscribe", use: AgencyAdminController.unsubscribe)

    let console = web.grouped(RequireRole(roles: [.expert, .onspotAdmin]))
    console.post("console", "cases", ":caseID", "messages", use: ConsoleController.reply)
    console.get("console", use: ConsolePagesController.queue)
    console.get("console", "cases", ":caseID", use: ConsolePagesController.show)
    console.post("console", "cases", ":caseID", "take", use: ConsolePagesController.take)
    console.post("console", "cases", ":caseID", "resolve", use: ConsolePagesController.resolve)
    console.post("console", "cases", ":caseID", "costs", use: CostsController.record)
    console.post("console", "cases", ":caseID", "classify", use: CostsController.classify)
    console.post("console", "cases", ":caseID", "notes", use: CaseWorkController.addNote)
    console.post("console", "cases", ":caseID", "assign", use: CaseWorkController.assign)
    console.post("console", "cases", ":caseID", "transfer", use: CaseWorkController.transfer)
    console.post("console", "cases", ":caseID", "link", use: CaseWorkController.link)
    console.post("console", "duty", use: CaseWorkController.duty)
    console.post("console", "cases", ":caseID", "activities", use: ActivitiesController.book)
    console.post("console", "cases", ":caseID", "recommendations", use: ActivitiesController.push)
    console.get("console", "attachments", ":attachmentID", use: AttachmentsController.show)
    console.get("console", "cases", ":caseID", "rights", use: RightsPanelController.show)
    console.post("console", "cases", ":caseID", "rights", "send", use: RightsPanelController.send)
    console.webSocket("console", "live") { req, socket async in await ConsolePagesController.live(req: req, socket: socket) }

    let admin = web.grouped(RequireRole(roles: [.onspotAdmin]))
    admin.get("admin", "destinations", use: AdminController.destinations)
    admin.get("admin", "destinations", ":destinationID", use: AdminController.editDestination)
    admin.post("admin", "destinations", ":destinationID", use: AdminController.saveDestination)
    admin.post("admin", "destinations", ":destinationID", "endpoints", use: AdminController.saveEndpoint)
    admin.get("admin", "plans", use: AdminController.plans)
    admin.post("admin", "plans", ":planID", use: AdminController.savePlan)
    admin.get("admin", "rates", use: AuditReportsController.rates)
    admin.get("admin", "activities", use: ActivityCatalogueController.page)
    admin.get("admin", "claims", use: CommissionClaimsController.adminList)
    admin.post("admin", "claims", ":claimID", "decide", use: CommissionClaimsController.decide)
    admin.post("admin", "activities", use: ActivityCatalogueController.add)
    admin.post("admin", "activities", ":activityID", "toggle", use: ActivityCatalogueController.toggle)
    admin.post("admin", "rates", use: AuditReportsController.saveRate)
}

private func asset(_ text: String, _ type: String) -> Response {
    let response = Response(status: .ok, body: .init(string: text))
    response.headers.replaceOrAdd(name: .contentType, value: type)
    response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
    return response
}
