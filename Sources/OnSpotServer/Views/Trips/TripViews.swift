import Foundation
import OnSpotCore
import Vapor

enum TripViews {
    static func deadlineText(_ departure: Date?, agency: Agency, lang: Language) -> [String: [String: String]] {
        guard let departure else { return [:] }
        let deadline = TripRules.registrationDeadline(departure: departure)
        return ["trip.error.registration_deadline": ["deadline": LocalDateTime.display(deadline, in: agency.zone, language: lang)]]
    }

    static func phaseBadge(_ phase: TripPhase, _ lang: Language) -> HTML {
        el("span", ["class": "badge \(phase.rawValue)"], .text(L10n.t("phase.\(phase.rawValue)", lang)))
    }

    static func list(
        req: Request, agency: Agency, page: TripService.Page<TripSummary>, filter: TripService.ListFilter,
        destinations: [DestinationRecord]
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let now = req.now
        let rows = page.trips.map { trip -> HTML in
            el(
                "tr", [:],
                el("td", [:], el("a", ["href": SiteURL.trip(trip.id).path], .text(trip.reference ?? "—"))),
                el("td", [:], .text(trip.travellerNames.joined(separator: ", "))),
                el("td", [:], .text(trip.destinations.map(\.name).joined(separator: " → "))),
                el("td", [:], .text(LocalDateTime.display(trip.departureAt, in: agency.zone, language: lang, withZone: false))),
                el("td", [:], phaseBadge(trip.phase(now: now), lang)))
        }
        let pages = PageRequest.pageCount(total: page.total, perPage: page.perPage)
        func pageLink(_ n: Int) -> String {
            var items = ["page=\(n)"]
            if let q = filter.search, !q.isEmpty { items.append("q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            if let p = filter.phase { items.append("phase=\(p.rawValue)") }
            if let d = filter.destinationCode, !d.isEmpty { items.append("destination=\(d)") }
            return SiteURL.trips.with("?") + items.joined(separator: "&")
        }
        let f = FormErrors(lang: lang)
        let phases: [(String, String)] =
            [("", "—")] + [TripPhase.upcoming, .inService, .ended, .cancelled].map { ($0.rawValue, t("phase.\($0.rawValue)")) }
        return Layout.page(
            req: req, title: t("nav.trips"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.trips"))),
                el(
                    "form", ["method": "get", "action": SiteURL.trips.path, "class": "panel"],
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("q", label: t("field.search"), value: filter.search, type: "search")),
                        el("div", [:], f.select("phase", label: t("field.status"), options: phases, selected: filter.phase?.rawValue ?? "")),
                        el(
                            "div", [:],
                            f.select(
                                "destination", label: t("field.destinations"),
                                options: [("", "—")] + destinations.map { ($0.code, "\($0.name) (\($0.countryCode))") },
                                selected: filter.destinationCode ?? ""))),
                    el("button", ["type": "submit"], .text(t("button.filter")))),
                page.trips.isEmpty
                    ? el("p", ["class": "muted"], .text(t("trips.none")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "trips"],
                            el(
                                "thead", [:],
                                el(
                                    "tr", [:], el("th", [:], .text(t("field.reference"))), el("th", [:], .text(t("trips.travellers"))),
                                    el("th", [:], .text(t("field.destinations"))), el("th", [:], .text(t("field.departure"))),
                                    el("th", [:], .text(t("field.status"))))),
                            el("tbody", [:], rows))),
                Layout.pageLinks(page: page.page, pages: pages, link: pageLink),
                el("p", [:], el("a", ["class": "button", "href": SiteURL.newTrip.path], .text(t("nav.new_trip"))))
            ]))
    }

    static func form(
        req: Request, agency: Agency, destinations: [DestinationRecord], form: TripsController.TripForm,
        errors: [FieldError], editing: Trip?, deadlineFor: Date? = nil
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        var f = FormErrors(errors: errors, lang: lang)
        f.messageArguments = deadlineText(deadlineFor, agency: agency, lang: lang)
        let selected = Set(form.destinations ?? [])
        let destinationSelect = HTML.group([
            el("label", ["for": "f-destinations"], .text(t("field.destinations"))),
            el(
                "select", ["id": "f-destinations", "name": "destinations[]", "multiple": "", "size": "8", "required": ""],
                destinations.map { d in
                    el(
                        "option", ["value": d.code, "selected": .flag(selected.contains(d.code))],
                        .text("\(DestinationCatalog.countries[d.countryCode]?[lang] ?? d.countryCode) – \(d.name)"))
                }),
            f.message("destinations")
        ])
        var travellerBlocks: [HTML] = []
        if editing == nil {
            let rows = (form.travellers ?? [:]).compactMap { k, v in Int(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
            let list = rows.isEmpty ? [(0, TripsController.TravellerForm(language: agency.language.rawValue, consentRecording: "on"))] : rows
            travellerBlocks = list.enumerated().map { i, row in travellerFieldset(index: i, sourceIndex: row.0, row.1, f: f, lang: lang) }
        }
        let action = editing.map { SiteURL.editTrip($0.id!).path } ?? SiteURL.trips.path
        return Layout.page(
            req: req, title: editing == nil ? t("nav.new_trip") : t("button.edit"),
            body: el(
                "div", ["class": "panel"],
                el("h1", [:], .text(editing == nil ? t("nav.new_trip") : "\(t("button.edit")) – \(editing?.reference ?? "")")),
                f.summary,
                f.message("travellers"),
                el("p", ["class": "muted"], .text(t("trips.deadline_hint") + " (\(agency.timeZone))")),
                el(
                    "form", ["method": "post", "action": action, "novalidate": ""],
                    Layout.csrfField(req),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("reference", label: t("field.reference"), value: form.reference)),
                        el("div", [:], destinationSelect),
                        el(
                            "div", [:],
                            f.input("departure", label: t("field.departure"), value: form.departure, type: "datetime-local", required: true)),
                        el("div", [:], f.input("arrival", label: t("field.arrival"), value: form.arrival, type: "datetime-local")),
                        el(
                            "div", [:],
                            f.input(
                                "returnAt", label: t("field.return"), value: form.returnAt, type: "datetime-local",
                                required: true, field: "return"))),
                    el("label", ["for": "f-notes"], .text(t("field.notes"))),
                    el("textarea", ["id": "f-notes", "name": "notes", "maxlength": "4000"], .text(form.notes ?? "")),
                    editing == nil
                        ? HTML.group([
                            el("div", ["id": "travellers"], travellerBlocks),
                            el("button", ["type": "button", "class": "secondary", "data-add-traveller": ""], .text(t("button.add_traveller")))
                        ]) : .empty,
                    el(
                        "div", [:],
                        el(
                            "button", ["type": "submit", "id": "submit-trip"],
                            .text(editing == nil ? t("button.register_trip") : t("button.save")))))))
    }

    static func travellerFieldset(index: Int, sourceIndex: Int, _ t: TripsController.TravellerForm, f: FormErrors, lang: Language) -> HTML {
        func tr(_ k: String) -> String { L10n.t(k, lang) }
        let p = "travellers[\(index)]"
        let e = "travellers[\(sourceIndex)]."
        return el(
            "fieldset", ["class": "traveller"],
            el("legend", [:], .text("\(tr("trips.travellers")) \(index + 1)")),
            el(
                "div", ["class": "grid"],
                el("div", [:], f.input("\(p)[firstName]", label: tr("field.first_name"), value: t.firstName, required: true, field: e + "firstName")),
                el("div", [:], f.input("\(p)[lastName]", label: tr("field.last_name"), value: t.lastName, required: true, field: e + "lastName")),
                el(
                    "div", [:],
                    f.input("\(p)[dateOfBirth]", label: tr("field.date_of_birth"), value: t.dateOfBirth, type: "date", field: e + "dateOfBirth")),
                el(
                    "div", [:],
                    f.input(
                        "\(p)[phone]", label: tr("field.phone"), value: t.phone, type: "tel",
                        extra: ["placeholder": "+33612345678"], field: e + "phone")),
                el("div", [:], f.input("\(p)[email]", label: tr("field.email"), value: t.email, type: "email", field: e + "email")),
                el(
                    "div", [:],
                    f.select(
                        "\(p)[language]", label: tr("field.language"),
                        options: Language.allCases.map { ($0.rawValue, $0.displayName) }, selected: t.language, field: e + "language"))),
            el(
                "label", ["class": "check"],
                el("input", ["type": "checkbox", "name": "\(p)[consentRecording]", "checked": .flag(t.consentRecording != nil)]),
                .text(tr("field.consent_recording"))),
            el(
                "label", ["class": "check"],
                el(
                    "input",
                    [
                        "type": "checkbox", "name": "\(p)[consentRecommendations]",
                        "checked": .flag(t.consentRecommendations != nil)
                    ]),
                .text(tr("field.consent_recommendations"))),
            el(
                "label", ["class": "check"],
                el("input", ["type": "checkbox", "name": "\(p)[consentAlerts]", "checked": .flag(t.consentAlerts != nil)]),
                .text(tr("field.consent_alerts"))))
    }

    static func travellerForm(req: Request, trip: Trip, link: TripTraveller, form: TripsController.TravellerForm, errors: [FieldError]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        return Layout.page(
            req: req, title: link.traveller.fullName,
            body: el(
                "div", ["class": "panel"],
                el("h1", [:], .text(link.traveller.fullName)),
                f.summary,
                el(
                    "form", ["method": "post", "action": SiteURL.editTraveller(trip: trip.id!, traveller: link.$traveller.id).path, "novalidate": ""],
                    Layout.csrfField(req),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("firstName", label: t("field.first_name"), value: form.firstName, required: true)),
                        el("div", [:], f.input("lastName", label: t("field.last_name"), value: form.lastName, required: true)),
                        el("div", [:], f.input("dateOfBirth", label: t("field.date_of_birth"), value: form.dateOfBirth, type: "date")),
                        el("div", [:], f.input("phone", label: t("field.phone"), value: form.phone, type: "tel")),
                        el("div", [:], f.input("email", label: t("field.email"), value: form.email, type: "email")),
                        el(
                            "div", [:],
                            f.select(
                                "language", label: t("field.language"),
                                options: Language.allCases.map { ($0.rawValue, $0.displayName) }, selected: form.language))),
                    el(
                        "label", ["class": "check"],
                        el("input", ["type": "checkbox", "name": "consentRecording", "checked": .flag(form.consentRecording != nil)]),
                        .text(t("field.consent_recording"))),
                    el(
                        "label", ["class": "check"],
                        el(
                            "input",
                            [
                                "type": "checkbox", "name": "consentRecommendations",
                                "checked": .flag(form.consentRecommendations != nil)
                            ]),
                        .text(t("field.consent_recommendations"))),
                    el(
                        "label", ["class": "check"],
                        el("input", ["type": "checkbox", "name": "consentAlerts", "checked": .flag(form.consentAlerts != nil)]),
                        .text(t("field.consent_alerts"))),
                    el("button", ["type": "submit"], .text(t("button.save")))),
                // Personal data leaves only through an agency admin (GDPR articles 15 and 20), audited.
                (try? req.user.role) == .agencyAdmin
                    ? HTML.group([
                        el(
                            "p", ["class": "small"],
                            el(
                                "a",
                                [
                                    "id": "export-traveller",
                                    "href": SiteURL.exportTraveller(trip: trip.id ?? SiteURL.Parameter.id, traveller: link.$traveller.id).path
                                ],
                                .text(t("privacy.export")))),
                        el(
                            "form",
                            [
                                "method": "post", "id": "erase-traveller",
                                "action": SiteURL.eraseTraveller(trip: trip.id ?? SiteURL.Parameter.id, traveller: link.$traveller.id).path
                            ],
                            Layout.csrfField(req),
                            el("p", ["class": "small"], .text(t("privacy.erase_help"))),
                            el(
                                "label", ["class": "check"], el("input", ["type": "checkbox", "name": "confirm", "value": "yes", "id": "f-confirm"]),
                                .text(t("privacy.erase_confirm"))),
                            f.message("confirm"),
                            el(
                                "button", ["type": "submit", "class": "danger", "data-confirm": t("privacy.erase") + " ?"],
                                .text(t("privacy.erase"))))
                    ])
                    : .empty))
    }

    static func detail(
        req: Request, agency: Agency, trip: Trip, segmentErrors: [FieldError], documentErrors: [FieldError],
        segmentForm: TripsController.SegmentForm? = nil, cases: [CaseRecord] = [], billing: HTML = .empty
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let now = req.now
        let cancelled = trip.status == .cancelled
        let finalZone = TripService.finalDestination(trip)?.zone ?? agency.zone
        let window = TripRules.serviceWindow(arrival: trip.arrivalAt, return: trip.returnAt)
        let travellers = trip.travellerLinks.sorted { $0.position < $1.position }
        let travellerRows = travellers.map { link -> HTML in
            let tr = link.traveller
            return el(
                "tr", [:],
                el("td", [:], .text(tr.fullName)),
                el("td", [:], .text(tr.phone ?? "—")),
                el("td", [:], .text(tr.email ?? "—")),
                el("td", [:], .text(tr.language.rawValue)),
                el(
                    "td", [:],
                    trip.neverPaid
                        ? .empty
                        : HTML.group([
                            el("a", ["href": SiteURL.card(link.cardToken).path, "class": "card-link"], .text(t("card.title"))), " · ",
                            el("a", ["href": SiteURL.cardPrint(link.cardToken).path], .text(t("button.print"))), " · "
                        ]),
                    el("a", ["href": SiteURL.editTraveller(trip: trip.id!, traveller: link.$traveller.id).path], .text(t("button.edit")))))
        }
        let segments = TripService.itineraryOrder(trip.segments)
        let segmentRows = segments.map { s -> HTML in
            let zone = s.timeZone.flatMap { TimeZones.named($0) } ?? finalZone
            let when = [s.startsAt, s.endsAt].compactMap { $0 }.map { LocalDateTime.display($0, in: zone, language: lang, withZone: false) }
                .joined(separator: " → ")
            return el(
                "tr", [:], el("td", [:], .text(t("segment.\(s.kind)"))), el("td", [:], .text(s.title)),
                el("td", [:], .text(when.isEmpty ? "—" : "\(when) (\(zone.identifier))")),
                el("td", [:], .text([s.location, s.supplier, s.confirmation].compactMap { $0 }.joined(separator: " · "))))
        }
        let sf = FormErrors(errors: segmentErrors, lang: lang)
        let df = FormErrors(errors: documentErrors, lang: lang)
        let seg = segmentForm ?? TripsController.SegmentForm()
        let places = trip.destinationLinks.sorted { $0.position < $1.position }.map { "\($0.destination.name) (\($0.destination.timeZone))" }
        return Layout.page(
            req: req, title: trip.reference ?? t("nav.trips"),
            body: HTML.group([
                el("h1", [:], .text(trip.reference ?? "—"), " ", phaseBadge(trip.phase(now: now), lang)),
                el(
                    "div", ["class": "panel"],
                    el("p", [:], el("strong", [:], .text(t("field.destinations") + " : ")), .text(places.joined(separator: " → "))),
                    el(
                        "p", [:], el("strong", [:], .text(t("field.departure") + " : ")),
                        .text(LocalDateTime.display(trip.departureAt, in: agency.zone, language: lang))),
                    el(
                        "p", [:], el("strong", [:], .text(t("field.arrival") + " : ")),
                        .text(LocalDateTime.display(trip.arrivalAt, in: finalZone, language: lang))),
                    el(
                        "p", [:], el("strong", [:], .text(t("field.return") + " : ")),
                        .text(LocalDateTime.display(trip.returnAt, in: agency.zone, language: lang))),
                    el(
                        "p", ["class": "muted"],
                        .text(
                            L10n.t(
                                "trips.service_window", lang,
                                [
                                    "start": LocalDateTime.display(window.lowerBound, in: finalZone, language: lang),
                                    "end": LocalDateTime.display(window.upperBound, in: finalZone, language: lang)
                                ]))),
                    trip.notes.map { el("p", [:], .text($0)) } ?? .empty,
                    cancelled
                        ? el(
                            "p", ["class": "error"],
                            .text(
                                "\(t("phase.cancelled")) – \(SystemCancellation.display(trip.cancellationReason, lang)) (\(t("refund_state.\(trip.refundState)")))"
                            ))
                        : el("p", [:], el("a", ["class": "button secondary", "href": SiteURL.editTrip(trip.id!).path], .text(t("button.edit"))))),
                trip.awaitsPayment
                    ? el(
                        "p", ["class": "flash bad", "id": "payment-required"],
                        .text(
                            L10n.t(
                                "light.awaiting_payment", lang,
                                [
                                    "deadline": LocalDateTime.display(
                                        trip.departureAt.addingTimeInterval(-LightPayments.releaseHours * 3600), in: agency.zone, language: lang)
                                ])), " ",
                        el("a", ["class": "button", "href": SiteURL.tripPayment(trip.id ?? SiteURL.Parameter.id).path], .text(t("billing.pay"))))
                    : .empty,
                billing,
                el("h2", ["id": "travellers"], .text(t("trips.travellers"))),
                el("div", ["class": "table-wrap"], el("table", [:], el("tbody", [:], travellerRows))),
                el("h2", ["id": "cases"], .text(t("trips.cases"))),
                cases.isEmpty
                    ? el("p", ["class": "muted"], .text(t("dashboard.none")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "case-list"],
                            el(
                                "tbody", [:],
                                cases.map { c in
                                    el(
                                        "tr", ["data-case": c.id!.uuidString],
                                        el("td", [:], .text(LocalDateTime.display(c.openedAt, in: agency.zone, language: lang))),
                                        el("td", [:], .text(L10n.t("category.\(c.category)", lang))),
                                        el("td", [:], el("span", ["class": "badge"], .text(L10n.t("case.status.\(c.status)", lang)))),
                                        el(
                                            "td", [:],
                                            .text(
                                                c.resolutionSummary.map { summary in
                                                    "\(summary) (\(c.resolvedAt.map { LocalDateTime.display($0, in: agency.zone, language: lang) } ?? ""))"
                                                } ?? "")))
                                }))),
                el("h2", ["id": "itinerary"], .text(t("trips.itinerary"))),
                segmentRows.isEmpty
                    ? el("p", ["class": "muted"], .text(t("dashboard.none")))
                    : el("div", ["class": "table-wrap"], el("table", ["id": "segments"], el("tbody", [:], segmentRows))),
                cancelled
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.tripSegments(trip.id!).path, "class": "panel", "novalidate": ""],
                        Layout.csrfField(req),
                        sf.summary,
                        el(
                            "div", ["class": "grid"],
                            el(
                                "div", [:],
                                sf.select(
                                    "kind", label: t("field.kind"), options: SegmentKind.allCases.map { ($0.rawValue, t("segment.\($0.rawValue)")) },
                                    selected: seg.kind)),
                            el("div", [:], sf.input("title", label: t("field.title"), value: seg.title, required: true)),
                            el("div", [:], sf.input("startsAt", label: t("field.starts_at"), value: seg.startsAt, type: "datetime-local")),
                            el("div", [:], sf.input("endsAt", label: t("field.ends_at"), value: seg.endsAt, type: "datetime-local")),
                            el("div", [:], sf.input("timeZone", label: t("field.time_zone"), value: seg.timeZone ?? finalZone.identifier)),
                            el("div", [:], sf.input("location", label: t("field.location"), value: seg.location)),
                            el("div", [:], sf.input("supplier", label: t("field.supplier"), value: seg.supplier)),
                            el("div", [:], sf.input("confirmation", label: t("field.confirmation"), value: seg.confirmation))),
                        el("button", ["type": "submit"], .text(t("button.add_segment")))),
                el("h2", ["id": "documents"], .text(t("trips.documents"))),
                HTML.group(
                    trip.documents.sorted { $0.createdAt < $1.createdAt }.map { d in
                        el(
                            "div", ["class": "panel"],
                            el("strong", [:], .text(d.title ?? LocalDateTime.display(d.createdAt, in: agency.zone, language: lang))),
                            cancelled
                                ? .empty
                                : el(
                                    "p", [:],
                                    el(
                                        "a", ["href": SiteURL.documentReview(trip: trip.id!, document: d.id!).path, "class": "review-link"],
                                        .text(t("extraction.review_link")))),
                            fileLine(d, trip: trip, lang: lang),
                            el("pre", ["class": "document"], .text(d.text)))
                    }),
                cancelled
                    ? .empty
                    : el(
                        "form",
                        [
                            "method": "post", "action": SiteURL.tripDocuments(trip.id!).path, "class": "panel", "enctype": "multipart/form-data",
                            "data-drop-file": "", "id": "document-form"
                        ],
                        Layout.csrfField(req),
                        df.summary,
                        df.input("documentTitle", label: t("field.title"), value: nil),
                        el("label", ["for": "f-text"], .text(t("field.document"))),
                        el("textarea", ["id": "f-text", "name": "text"]),
                        df.message("text"),
                        el("label", ["for": "f-file"], .text(t("document.file.label"))),
                        el(
                            "input",
                            [
                                "type": "file", "id": "f-file", "name": "file",
                                "accept": ".pdf,.eml,.pkpass,.txt,.html,.htm,.png,.jpg,.jpeg,.gif,.bmp,application/pdf,message/rfc822,"
                                    + "application/vnd.apple.pkpass,image/png,image/jpeg,image/gif,image/bmp,text/plain,text/html"
                            ]),
                        el("p", ["class": "muted"], el("span", ["data-file-name": ""], .text(t("document.file.drop")))),
                        df.message("file"),
                        el("button", ["type": "submit"], .text(t("button.add_document")))),
                cancelled
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.cancelTrip(trip.id!).path, "class": "panel"],
                        Layout.csrfField(req),
                        el("label", ["for": "f-reason"], .text(t("field.reason"))),
                        el("input", ["id": "f-reason", "name": "reason", "maxlength": "1000"]),
                        el(
                            "button", ["type": "submit", "class": "danger", "id": "cancel-trip", "data-confirm": t("button.cancel_trip") + " ?"],
                            .text(t("button.cancel_trip"))))
            ]))
    }
}

extension TripViews {
    /// The segments found in a pasted document, each with a box to tick (all ticked but those already accepted), and the
    /// document itself below, as pasted.
    static func review(
        req: Request, agency: Agency, trip: Trip, document: PastedDocument, proposals: [SegmentProposal],
        accepted: Set<Int>, errors: [FieldError]
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let fallback = TripService.finalDestination(trip)?.zone ?? agency.zone
        func when(_ p: SegmentProposal) -> String {
            let zone = p.timeZone.flatMap(TimeZones.named) ?? fallback
            return [p.startsAt, p.endsAt].compactMap { $0 }.map { text in
                // A day alone is shown as the day; a time in the zone of its place, with the offset the document gave.
                guard text.count > 10, let date = SegmentProposal.instant(text, zone: zone) else { return text }
                return LocalDateTime.display(date, in: zone, language: lang, withZone: false) + (text.count > 19 ? " (UTC\(text.suffix(6)))" : "")
            }.joined(separator: " → ")
        }
        let rows = proposals.enumerated().map { index, p -> HTML in
            let done = accepted.contains(index)
            return el(
                "tr", ["class": "proposal", "data-kind": p.kind.rawValue],
                el(
                    "td", [:],
                    el(
                        "input",
                        [
                            "type": "checkbox", "name": "segment[]", "value": String(index), "id": "p-\(index)",
                            "checked": .flag(!done), "disabled": .flag(done)
                        ])),
                el("td", [:], .text(t("segment.\(p.kind.rawValue)"))),
                el("td", [:], el("label", ["for": "p-\(index)"], .text(p.title))),
                el("td", [:], .text(when(p))),
                el("td", [:], .text([p.location, p.supplier, p.confirmation, p.details].compactMap { $0 }.joined(separator: " · "))),
                el(
                    "td", ["class": "found-by"],
                    p.missing.isEmpty
                        ? .empty
                        : el(
                            "div", ["class": "missing"],
                            .text(
                                t("extraction.missing") + " "
                                    + p.missing.map { name in L10n.has("extraction.field.\(name)") ? t("extraction.field.\(name)") : name }
                                    .joined(separator: ", "))),
                    el(
                        "span", ["class": "muted"],
                        .text(
                            ExtractionLayer.allCases.filter(p.foundBy.contains).map { t("extraction.layer.\($0.rawValue)") }.joined(separator: " + "))
                    ),
                    p.alternatives.isEmpty
                        ? .empty
                        : el(
                            "div", ["class": "alternatives"],
                            .text(
                                t("extraction.alternatives") + " "
                                    + p.alternatives.sorted { $0.key < $1.key }.map { field, value in
                                        let name = String(field.split(separator: ".").last ?? "")
                                        let label = L10n.has("extraction.field.\(name)") ? t("extraction.field.\(name)") : name
                                        return "\(label) \(value)"
                                    }.joined(separator: " · ")))),
                el("td", [:], done ? el("span", ["class": "badge"], .text(t("extraction.already"))) : .empty))
        }
        return Layout.page(
            req: req, title: t("extraction.title"),
            body: HTML.group([
                el("h1", [:], .text(t("extraction.title"))),
                el("p", [:], el("a", ["href": SiteURL.trip(trip.id!).path], .text("← " + (trip.reference ?? t("nav.trips"))))),
                proposals.isEmpty
                    ? el("p", ["class": "muted", "id": "no-proposals"], .text(t("extraction.none")))
                    : el(
                        "form", ["method": "post", "action": SiteURL.documentAccept(trip: trip.id!, document: document.id!).path, "class": "panel"],
                        Layout.csrfField(req),
                        f.summary,
                        el("p", ["class": "muted"], .text(t("extraction.explain"))),
                        el("div", ["class": "table-wrap"], el("table", ["id": "proposals"], el("tbody", [:], rows))),
                        f.message("segment"),
                        el("button", ["type": "submit"], .text(t("extraction.accept")))),
                el("h2", [:], .text(document.title ?? t("trips.documents"))),
                fileLine(document, trip: trip, lang: lang),
                el("pre", ["class": "document", "id": "pasted"], .text(document.text))
            ]))
    }
}

extension TripViews {
    /// "Read from: PDF · E-ticket AF.pdf": what a document was read from, and its original to download.
    static func fileLine(_ document: PastedDocument, trip: Trip, lang: Language) -> HTML {
        guard let kind = document.fileKind, let tripID = trip.id, let documentID = document.id else { return .empty }
        return el(
            "p", ["class": "muted document-file"],
            .text(L10n.t("document.file.read_from", lang, ["kind": L10n.t(kind.labelKey, lang)]) + " · "),
            el(
                "a", ["href": SiteURL.documentFile(trip: tripID, document: documentID).path, "download": ""],
                .text(document.fileName ?? L10n.t("document.file.original", lang))))
    }
}
