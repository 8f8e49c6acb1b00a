import Foundation
import OnSpotCore
import Vapor

enum ConsoleViews {
    static func statusLabel(_ s: CaseStatus, _ lang: Language) -> String { L10n.t("case.status.\(s.rawValue)", lang) }

    /// A message's type as the expert reads it; a type a provider adds later reads "other" rather than its code.
    static func kindLabel(_ kind: String, _ lang: Language) -> String {
        L10n.has("message.kind.\(kind)") ? L10n.t("message.kind.\(kind)", lang) : L10n.t("message.kind.other", lang)
    }

    /// The words the console's script writes into the page, in the expert's language.
    static func scriptWords(_ lang: Language) -> String {
        var words = ["live": L10n.t("console.live", lang), "reconnecting": L10n.t("console.reconnecting", lang), "now": L10n.t("console.now", lang)]
        for status in CaseStatus.allCases { words["case." + status.rawValue] = statusLabel(status, lang) }
        for status in ApprovalStatus.allCases { words["approval." + status.rawValue] = L10n.t("approval.status.\(status.rawValue)", lang) }
        for status in MessageStatus.allCases { words["message." + status.rawValue] = L10n.t("message.status.\(status.rawValue)", lang) }
        words.merge(ComposerViews.scriptWords(lang)) { a, _ in a }
        words["presence.viewing"] = L10n.t("presence.viewing", lang)
        words["presence.typing"] = L10n.t("presence.typing", lang)
        let json = (try? JSONSerialization.data(withJSONObject: words, options: [.sortedKeys])).flatMap { String(data: $0, encoding: .utf8) }
        return json ?? "{}"
    }

    /// The live state line the script fills in, carrying the words it writes.
    static func liveState(_ lang: Language, tag: String) -> HTML {
        el(tag, ["class": "muted", "id": "live-state", "data-words": scriptWords(lang)], "…")
    }

    /// Time left to a deadline, or how late it is, in words: "45 min", "3 h 05".
    static func timeLeft(until due: Date, now: Date, _ lang: Language) -> String {
        let span = ComposerViews.span(minutes: Int(min(abs(due.timeIntervalSince(now)) / 60, 999_999).rounded(.down)))
        return L10n.t(due < now ? "queue.late_by" : "queue.time_left", lang, ["time": span])
    }

    static func queue(
        req: Request, rows: [ConsolePagesController.QueueRow], destinations: [DestinationRecord],
        filters: ConsolePagesController.QueueFilters, page: Int = 1, pages: Int = 1, total: Int = 0, banners: HTML = .empty
    ) -> HTML {
        let now = req.now
        let lang = req.language
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        let f = FormErrors(lang: lang)
        let clocks = destinations.prefix(40).map { d in
            el(
                "span", ["class": "badge", "style": "margin:.15rem"],
                .text("\(d.name) \(LocalDateTime.displayTime(now, in: d.zone))\(d.hours.isOpen(at: now, in: d.zone) ? "" : " ☾")"))
        }
        let body = rows.map { r in
            // Breached, due within 30 minutes, or on time: the row and its clock say which at a glance.
            let urgency = r.due.map { $0 < now ? "late" : $0.timeIntervalSince(now) < 1800 ? "soon" : "ok" } ?? "ok"
            return el(
                "tr", ["data-case": r.record.id?.uuidString, "class": urgency],
                el(
                    "td", [:],
                    r.wroteSinceReply
                        ? el("span", ["class": "unanswered", "title": t("queue.wrote_since_reply"), "aria-label": t("queue.wrote_since_reply")], "● ")
                        : .empty,
                    el("a", ["href": SiteURL.consoleCase(r.record.id ?? SiteURL.Parameter.id).path], .text(r.who))),
                el("td", ["class": "channel"], .text(r.channel.map { t("channel.\($0.rawValue)") } ?? "—")),
                el("td", ["class": "language"], .text(r.language?.displayName ?? "—")),
                el("td", [:], .text(r.destination?.name ?? "—")),
                el("td", ["class": "status"], .text(statusLabel(r.record.status, lang))),
                el("td", ["class": "holder"], .text(r.holder ?? t("queue.unassigned"))),
                el("td", ["class": "last"], .text(r.lastMessage)),
                el("td", [:], .text(r.lastAt.map { LocalDateTime.displayTime($0, in: r.destination?.zone ?? .current) } ?? "")),
                el(
                    "td", ["class": "sla \(urgency)"],
                    .text(
                        r.due.map { due in
                            "\(timeLeft(until: due, now: now, lang)) (\(LocalDateTime.displayTime(due, in: r.destination?.zone ?? .current)))"
                        } ?? "")))
        }
        let headings = [
            "field.name", "queue.channel", "field.language", "field.destinations", "field.status", "queue.holder", "queue.last_message",
            "queue.last_at", "queue.deadline"
        ]
        let me = req.auth.get(User.self)
        return Layout.page(
            req: req, title: t("console.title"),
            body: HTML.group([
                el("h1", [:], .text(t("console.title"))),
                banners,
                el("p", ["id": "clocks"], clocks),
                el(
                    "form", ["method": "get", "action": SiteURL.console.path, "class": "panel", "id": "queue-filters"],
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select(
                                "holder", label: t("queue.holder"),
                                options: [("", "—"), ("mine", t("queue.mine")), ("unassigned", t("queue.unassigned"))], selected: filters.holder ?? ""
                            )),
                        el(
                            "div", [:],
                            f.select(
                                "destination", label: t("field.destinations"), options: [("", "—")] + destinations.map { ($0.code, $0.name) },
                                selected: filters.destination ?? "")),
                        el(
                            "div", [:],
                            f.select(
                                "channel", label: t("queue.channel"),
                                options: [("", "—")] + MessagingChannel.allCases.map { ($0.rawValue, t("channel.\($0.rawValue)")) },
                                selected: filters.channel?.rawValue ?? "")),
                        el(
                            "div", [:],
                            f.select(
                                "language", label: t("field.language"),
                                options: [("", "—")] + Language.allCases.map { ($0.rawValue, $0.displayName) },
                                selected: filters.language?.rawValue ?? "")),
                        el(
                            "div", [:],
                            f.select(
                                "status", label: t("field.status"),
                                options: [("", "—")] + CaseStatus.open.map { ($0.rawValue, statusLabel($0, lang)) },
                                selected: filters.status?.rawValue ?? "")),
                        el(
                            "div", [:],
                            f.select(
                                "category", label: t("console.category"),
                                options: [("", "—")] + CaseCategory.allCases.map { ($0.rawValue, t("category.\($0.rawValue)")) },
                                selected: filters.category?.rawValue ?? ""))),
                    el("button", ["type": "submit"], .text(t("button.filter")))),
                liveState(lang, tag: "p"), el("p", ["class": "muted keys"], .text(t("console.keys_queue"))),
                el(
                    "div", ["class": "table-wrap"],
                    el(
                        "table", ["id": "queue", "data-total": String(total)],
                        el("thead", [:], el("tr", [:], headings.map { el("th", [:], .text(t($0))) })),
                        el("tbody", [:], body))),
                pager(page: page, pages: pages, filters: filters),
                el(
                    "form", ["method": "post", "action": SiteURL.consoleDuty.path, "class": "panel", "id": "duty"],
                    Layout.csrfField(req),
                    el(
                        "input",
                        [
                            "name": "phone", "type": "tel", "value": me?.phone ?? "", "placeholder": "+1 555 0100",
                            "aria-label": t("console.duty_phone")
                        ]),
                    " ",
                    el(
                        "label", [:], el("input", ["type": "checkbox", "name": "onDuty", "checked": .flag(me?.onDuty == true)]),
                        " ", .text(t("console.on_duty"))), " ",
                    el("button", ["type": "submit", "class": "secondary"], .text(t("button.save")))),
                el("script", ["src": SiteURL.staticAsset("console.js").path, "defer": ""])
            ]))
    }

    /// The queue as the workspace's column: who, where, on which channel, time left or late, who holds it, and the
    /// mark when the traveller wrote since the last reply; the open case highlighted. Keyboard: j / k walk it.
    static func queueList(req: Request, _ q: ConsolePagesController.QueuePage, current: UUID?) -> HTML {
        let lang = req.language
        let now = req.now
        return el(
            "ol", ["id": "queue-list", "class": "queue-list", "data-total": String(q.total)],
            q.rows.map { r in
                let id = r.record.id ?? SiteURL.Parameter.id
                let late = r.due.map { $0 < now } ?? false
                var classes = [String]()
                if id == current { classes.append("current") }
                if late { classes.append("late") }
                if r.wroteSinceReply { classes.append("wrote") }
                return el(
                    "li", ["data-case": id.uuidString, "class": classes.joined(separator: " ")],
                    el(
                        "a", ["href": SiteURL.consoleCase(id).path, "aria-current": id == current ? "page" : nil],
                        el(
                            "span", ["class": "who"],
                            r.wroteSinceReply ? el("span", ["class": "unanswered", "title": L10n.t("queue.wrote_since_reply", lang)], "● ") : .empty,
                            .text(r.who)),
                        el(
                            "span", ["class": "meta"],
                            .text(
                                [r.destination?.name, r.channel.map { L10n.t("channel.\($0.rawValue)", lang) }, r.holder].compactMap { $0 }
                                    .joined(separator: " · "))),
                        el("span", ["class": "due"], .text(r.due.map { timeLeft(until: $0, now: now, lang) } ?? ""))))
            })
    }

    static func caseView(
        req: Request, record: CaseRecord, conversation: Conversation?, messages: [MessageRecord], traveller: Traveller?,
        trip: Trip?, agency: Agency?, scope: ScopeVersion?, destination: DestinationRecord?, costPanel: CostPanel, work: CaseWork
    ) -> HTML {
        let lang = req.language
        let zone = destination?.zone ?? .current
        let thread = ThreadViews.thread(
            .init(
                record: record, messages: messages, notes: work.notes, costs: costPanel.costs, approvals: costPanel.approvals,
                bookings: work.bookings, audit: work.audit, people: work.people, attachments: work.attachments,
                destinations: work.destinations),
            zone: zone, lang)
        let segments = (trip?.segments ?? []).sorted { ($0.startsAt ?? .distantFuture) < ($1.startsAt ?? .distantFuture) }.map { s in
            el(
                "li", [:],
                .text(
                    "\(L10n.t("segment.\(s.kind)", lang)): \(s.title)\(s.startsAt.map { " — " + LocalDateTime.display($0, in: TimeZones.named(s.timeZone ?? "") ?? zone, language: lang) } ?? "")"
                ))
        }
        let caseID = record.id ?? SiteURL.Parameter.id
        // The conversation first, sized to the screen with its reply box (console.js keeps it so); the case's context
        // beside it on a wide screen, under it on a phone, one tap away.
        let conversationPanel = el(
            "section", ["class": "conversation", "id": "conversation", "aria-label": L10n.t("console.conversation", lang)],
            el(
                "p", ["class": "case-nav"], el("a", ["href": SiteURL.console.path], .text("← " + L10n.t("console.title", lang))), " ",
                el("a", ["href": "#context", "class": "to-context"], .text(L10n.t("console.context", lang) + " ↓")), " ",
                liveState(lang, tag: "small")),
            el(
                "h1", ["id": "case", "data-case": caseID.uuidString],
                .text("\(traveller?.fullName ?? "?") · \(destination?.name ?? "") · \(ConsoleViews.statusLabel(record.status, lang))")),
            clocks(work.clocks, zone: zone, lang: lang, now: req.now),
            el("p", ["id": "presence", "class": "presence", "aria-live": "polite"]),
            el("div", ["id": "thread", "class": "thread", "tabindex": "0", "aria-live": "polite"], thread),
            ComposerViews.composer(
                req: req,
                .init(
                    record: record, conversation: conversation, traveller: traveller, destination: destination, trip: trip,
                    expert: try? req.user)))
        /// A part of the context, folded unless it is open by default or a form in it has an error to show.
        func fold(_ id: String, _ title: String, open: Bool, _ content: HTML) -> HTML {
            el("details", ["id": id, "class": "fold", "open": .flag(open)], el("summary", [:], .text(title)), content)
        }
        let fields = Set(costPanel.errors.map(\.field))
        let contextPanel = el(
            "aside", ["class": "context", "id": "context", "aria-label": L10n.t("console.context", lang)],
            el(
                "div", ["class": "actions"],
                el(
                    "form", ["method": "post", "action": SiteURL.takeCase(caseID).path, "class": "inline"], Layout.csrfField(req),
                    el("button", ["type": "submit", "class": "secondary"], .text(L10n.t("console.take", lang)))),
                el(
                    "a", ["href": SiteURL.caseRights(caseID).path, "id": "rights-link", "class": "button secondary"],
                    .text(L10n.t("console.rights_link", lang)))),
            el(
                "div", ["class": "panel"],
                el("h2", [:], .text(L10n.t("trips.travellers", lang))),
                el(
                    "p", [:],
                    .text(
                        traveller.map { t in [t.fullName, t.phone, t.email, t.language.displayName].compactMap { $0 }.joined(separator: " · ") }
                            ?? conversation.map {
                                "\(L10n.t("channel.\($0.channel.rawValue)", lang)) · \($0.channel == .messenger ? "" : "+")\($0.externalUserID)"
                            }
                            ?? "—")),
                agency == nil && trip == nil ? .empty : el("p", [:], .text("\(agency?.name ?? "—") · \(trip?.reference ?? "")")),
                el("h2", [:], .text(L10n.t("trips.itinerary", lang))),
                el("ul", ["id": "itinerary"], segments)),
            approvalsWaiting(costPanel, zone: zone, now: req.now, lang),
            satisfaction(record, zone: zone, lang),
            linkForm(req: req, record: record, errors: costPanel.errors),
            fold(
                "scope-fold", "\(L10n.t("nav.scope", lang)) v\(scope?.version ?? 0)", open: !costPanel.costs.isEmpty,
                spending(scope: scope, panel: costPanel, currency: agency?.currency ?? .EUR, lang)),
            fold(
                "costs-fold", L10n.t("console.costs", lang), open: true, costs(req: req, record: record, panel: costPanel, agency: agency, zone: zone)
            ),
            fold(
                "notes-fold", L10n.t("console.notes", lang), open: true,
                notesPanel(req: req, record: record, work: work, zone: zone, errors: costPanel.errors)),
            fold("classify-fold", L10n.t("console.category", lang), open: false, classification(req: req, record: record)),
            fold(
                "assignment-fold", L10n.t("console.assign", lang), open: fields.contains("assignee") || fields.contains("destination"),
                assignment(req: req, record: record, work: work, errors: costPanel.errors)),
            fold(
                "activities-fold", L10n.t("console.activities", lang),
                open: !fields.isDisjoint(with: ActivityViews.errorFields.subtracting(["amount"])),
                ActivityViews.casePanel(req: req, record: record, activities: work.activities, bookings: work.bookings, errors: costPanel.errors)),
            el(
                "form", ["method": "post", "action": SiteURL.resolveCase(caseID).path, "class": "panel"], Layout.csrfField(req),
                el("label", ["for": "summary"], .text(L10n.t("console.resolution_summary", lang))),
                el("textarea", ["id": "summary", "name": "summary", "rows": "2", "required": ""]),
                el("button", ["type": "submit", "id": "resolve"], .text(L10n.t("console.resolve", lang)))))
        return Layout.page(
            req: req, title: L10n.t("console.case", lang),
            body: HTML.group([
                el("meta", ["name": "csrf-token", "content": req.csrfToken]),
                work.alertBanners,
                el(
                    "div", ["class": "workspace"],
                    el(
                        "nav",
                        [
                            "id": "queue-column", "class": "queue-column", "aria-label": L10n.t("console.title", lang),
                            "data-src": SiteURL.consoleQueueList.with("?current=\(caseID.uuidString)")
                        ],
                        el("a", ["href": SiteURL.console.path, "class": "queue-title"], .text(L10n.t("console.title", lang))),
                        el("p", ["class": "muted keys"], .text(L10n.t("console.keys", lang)))),
                    conversationPanel, contextPanel),
                el("script", ["src": SiteURL.staticAsset("console.js").path, "defer": ""])
            ]))
    }

    /// The scope of action in force beside what this case has already committed in each domain and what waits for
    /// the agency's answer: the expert sees at a glance what is left before the next outlay needs approval.
    static func spending(scope: ScopeVersion?, panel: CostPanel, currency: CurrencyCode, _ lang: Language) -> HTML {
        func t(_ key: String) -> String { L10n.t(key, lang) }
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).formatted(lang) }
        var committed: [ScopeDomain: Int64] = [:]
        var waiting: [ScopeDomain: Int64] = [:]
        for cost in panel.costs {
            let approval = cost.id.flatMap { panel.approvals[$0] }
            if cost.decision.commits(approval: approval?.status) {
                committed[cost.domain, default: 0] += cost.agencyAmountMinor
            } else if cost.decision == .needsApproval, approval?.status == .pending {
                waiting[cost.domain, default: 0] += cost.agencyAmountMinor
            }
        }
        let rows = (scope?.scope.rules ?? []).map { r -> HTML in
            let spent = committed[r.domain] ?? 0
            let capped = r.level == .actWithinCap
            let over = capped && spent >= r.capMinorUnits && spent > 0
            return el(
                "tr", ["data-domain": r.domain.rawValue, "class": over ? "over-cap" : ""],
                el("td", [:], .text(t("domain.\(r.domain.rawValue)"))), el("td", [:], .text(t("level.\(r.level.rawValue)"))),
                el("td", ["class": "num"], .text(capped ? money(r.capMinorUnits) : "")),
                el("td", ["class": "num spent"], .text(spent > 0 ? money(spent) : "—")),
                el("td", ["class": "num left"], .text(capped ? money(max(r.capMinorUnits - spent, 0)) : "")),
                el("td", ["class": "num waiting"], .text(waiting[r.domain].map(money) ?? "")))
        }
        return el(
            "div", ["class": "table-wrap"],
            el(
                "table", ["id": "scope"],
                el(
                    "thead", [:],
                    el(
                        "tr", [:],
                        HTML.group(
                            ["console.domain", "scope.level", "scope.cap", "scope.spent", "scope.left", "scope.waiting"].map {
                                el("th", [:], .text(t($0)))
                            }))),
                el("tbody", [:], rows)))
    }

    /// Outlays waiting for the agency's written answer, first in the context: the expert tells the traveller where it stands.
    static func approvalsWaiting(_ panel: CostPanel, zone: TimeZone, now: Date, _ lang: Language) -> HTML {
        let waiting = panel.costs.compactMap { c in c.id.flatMap { panel.approvals[$0] }.flatMap { $0.status == .pending ? (c, $0) : nil } }
        guard !waiting.isEmpty else { return .empty }
        return el(
            "div", ["class": "panel approvals-waiting", "id": "approvals-waiting"],
            el("h2", [:], .text(L10n.t("scope.approvals_waiting", lang))),
            el(
                "ul", [:],
                waiting.map { cost, approval in
                    el(
                        "li", ["data-approval": approval.id?.uuidString ?? ""],
                        .text(
                            L10n.t(
                                "scope.approval_line", lang,
                                [
                                    "amount": cost.agencyMoney.formatted(lang), "supplier": cost.supplier,
                                    "since": ComposerViews.span(minutes: Int(max(now.timeIntervalSince(approval.createdAt), 0) / 60)),
                                    "at": LocalDateTime.displayTime(approval.createdAt, in: zone)
                                ])))
                }))
    }

    /// The traveller's answer to the satisfaction question, once it was asked.
    static func satisfaction(_ record: CaseRecord, zone: TimeZone, _ lang: Language) -> HTML {
        guard let asked = record.satisfactionRequestedAt else { return .empty }
        return el(
            "div", ["class": "panel", "id": "satisfaction"],
            el("h2", [:], .text(L10n.t("csat.rating", lang))),
            el(
                "p", [:],
                .text(
                    record.satisfaction.map { L10n.t("csat.rating.\($0.rawValue)", lang) }
                        ?? L10n.t("csat.asked", lang, ["when": LocalDateTime.display(asked, in: zone, language: lang)]))),
            record.satisfactionComment.map { el("blockquote", ["class": "csat-comment"], .text($0)) } ?? .empty)
    }

    struct CaseWork {
        let notes: [CaseNote]
        var people: [UUID: User]
        let experts: [User]
        let destinations: [DestinationRecord]
        let clocks: SLAClocks?
        let attachments: [UUID: [Attachment]]
        /// The destination's activity catalogue and this case's bookings (issue 5).
        var activities: [ActivityRecord] = []
        var bookings: [ActivityBookingRecord] = []
        /// The case's assignments, transfers and link, for the thread's timeline.
        var audit: [AuditEntry] = []
        /// Official alerts in force over the destinations the expert covers (issue 14).
        var alertBanners: HTML = .empty
    }

    static func clocks(_ clocks: SLAClocks?, zone: TimeZone, lang: Language, now: Date) -> HTML {
        guard let clocks else { return .empty }
        func part(_ label: String, _ due: Date?, _ met: Bool?) -> HTML {
            guard let due else { return .empty }
            let state = met.map { $0 ? "✓" : "✗" } ?? (due < now ? "⚠" : "")
            return el(
                "span", ["class": "badge" + (met == false || (met == nil && due < now) ? " late" : "")],
                .text("\(label) \(LocalDateTime.displayTime(due, in: zone)) \(state)"))
        }
        return el(
            "p", ["id": "sla"], part(L10n.t("sla.first_response", lang), clocks.firstResponseDue, clocks.firstResponseMet), " ",
            part(L10n.t("sla.resolution", lang), clocks.resolutionDue, clocks.resolutionMet))
    }

    static func linkForm(req: Request, record: CaseRecord, errors: [FieldError]) -> HTML {
        guard record.agencyID == nil else { return .empty }
        var f = FormErrors(lang: req.language)
        f.errors = errors
        return el(
            "form", ["method": "post", "action": SiteURL.linkCase(record.id!).path, "class": "panel", "id": "link-form"],
            Layout.csrfField(req),
            el("p", [:], .text(L10n.t("link.intro", req.language))),
            el(
                "div", ["class": "grid"],
                el("div", [:], f.input("reference", label: L10n.t("field.reference", req.language), value: nil, required: true)),
                el("div", [:], f.input("lastName", label: L10n.t("field.last_name", req.language), value: nil))),
            el("button", ["type": "submit", "id": "link-trip"], .text(L10n.t("link.button", req.language))))
    }

    static func assignment(req: Request, record: CaseRecord, work: CaseWork, errors: [FieldError]) -> HTML {
        var f = FormErrors(lang: req.language)
        f.errors = errors
        let assignee = record.assigneeID.flatMap { work.people[$0]?.name } ?? "—"
        return el(
            "div", ["class": "grid", "id": "assignment"],
            el(
                "form", ["method": "post", "action": SiteURL.assignCase(record.id!).path, "class": "panel"],
                Layout.csrfField(req),
                el("p", [:], .text(L10n.t("console.assignee", req.language, ["name": assignee]))),
                f.select(
                    "assignee", label: L10n.t("console.assign_to", req.language),
                    options: work.experts.compactMap { u in u.id.map { ($0.uuidString, u.name) } },
                    selected: record.assigneeID?.uuidString),
                el("button", ["type": "submit", "class": "secondary", "id": "assign"], .text(L10n.t("console.assign", req.language)))),
            el(
                "form", ["method": "post", "action": SiteURL.transferCase(record.id!).path, "class": "panel"],
                Layout.csrfField(req),
                f.select(
                    "destination", label: L10n.t("console.transfer_to", req.language),
                    options: work.destinations.filter { $0.id != record.destinationID }.map { ($0.code, $0.name) },
                    selected: nil),
                el("button", ["type": "submit", "class": "secondary", "id": "transfer"], .text(L10n.t("console.transfer", req.language)))))
    }

    static func notesPanel(req: Request, record: CaseRecord, work: CaseWork, zone: TimeZone, errors: [FieldError]) -> HTML {
        var f = FormErrors(lang: req.language)
        f.errors = errors
        let items = work.notes.map { n in
            el(
                "li", [:],
                el(
                    "small", ["class": "muted"],
                    .text("\(LocalDateTime.displayTime(n.createdAt, in: zone)) · \(n.authorID.flatMap { work.people[$0]?.name } ?? "?")")),
                " ", .text(n.body))
        }
        return HTML.group([
            el("span", ["id": "notes"]),
            el("ul", ["id": "note-list"], items),
            el(
                "form", ["method": "post", "action": SiteURL.caseNotes(record.id!).path, "class": "panel"],
                Layout.csrfField(req),
                el("label", ["for": "note-body"], .text(L10n.t("console.note_label", req.language))),
                el("textarea", ["id": "note-body", "name": "body", "rows": "2"]),
                f.message("note"),
                el("button", ["type": "submit", "class": "secondary", "id": "add-note"], .text(L10n.t("console.add_note", req.language))))
        ])
    }

    struct CostPanel {
        let costs: [CostAction]
        let approvals: [UUID: Approval]
        let errors: [FieldError]
        let input: CostService.Input?
        let contactAttempts: [AgencyContactAttempt]
    }

    static func classification(req: Request, record: CaseRecord) -> HTML {
        let f = FormErrors(lang: req.language)
        return el(
            "form", ["method": "post", "action": SiteURL.classifyCase(record.id!).path, "class": "panel", "id": "classify"],
            Layout.csrfField(req),
            el(
                "div", ["class": "grid"],
                el(
                    "div", [:],
                    f.select(
                        "category", label: L10n.t("console.category", req.language),
                        options: CaseCategory.allCases.map { ($0.rawValue, L10n.t("category.\($0.rawValue)", req.language)) },
                        selected: record.category.rawValue)),
                el(
                    "div", [:],
                    f.select(
                        "priority", label: L10n.t("console.priority", req.language),
                        options: CasePriority.allCases.map { ($0.rawValue, L10n.t("priority.\($0.rawValue)", req.language)) },
                        selected: record.priority.rawValue)),
                el(
                    "div", [:],
                    f.select(
                        "status", label: L10n.t("field.status", req.language),
                        options: [("", L10n.t("case.status.\(record.status)", req.language))]
                            + CaseStatus.settableByExpert.filter { $0 != record.status }
                            .map { ($0.rawValue, L10n.t("case.status.\($0)", req.language)) }, selected: "")),
                el(
                    "div", [:],
                    el(
                        "label", [:], el("input", ["type": "checkbox", "name": "safety", "id": "safety", "checked": .flag(record.safetyFlag)]),
                        " ", .text(L10n.t("console.safety", req.language))))),
            el("button", ["type": "submit", "class": "secondary", "id": "classify-save"], .text(L10n.t("console.save_classification", req.language))))
    }

    static func costs(req: Request, record: CaseRecord, panel: CostPanel, agency: Agency?, zone: TimeZone) -> HTML {
        let lang = req.language
        var f = FormErrors(lang: lang)
        f.errors = panel.errors
        let rows = panel.costs.map { c -> HTML in
            let approval = c.id.flatMap { panel.approvals[$0] }
            let state = approval.map { L10n.t("approval.status.\($0.status)", lang) + ($0.comment.map { " – \($0)" } ?? "") } ?? ""
            return el(
                "tr", ["data-cost": c.id!.uuidString, "data-approval": approval?.id?.uuidString],
                el("td", [:], .text(LocalDateTime.displayTime(c.createdAt, in: zone))),
                el("td", [:], .text(L10n.t("domain.\(c.domain)", lang))),
                el("td", [:], .text("\(c.supplier) – \(c.purpose)")),
                el(
                    "td", [:],
                    .text(
                        c.localMoney.formatted(lang)
                            + (c.currency != c.agencyCurrency ? " → \(c.agencyMoney.formatted(lang)) @ \(c.exchangeRate)" : ""))),
                el("td", ["class": "decision"], .text(L10n.t("cost.outcome.\(c.decision)", lang))),
                el("td", ["class": "approval-status"], .text(state)))
        }
        let input = panel.input
        let currencies = CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) }
        let defaultCurrency = input?.currency ?? agency?.currency.rawValue ?? "EUR"
        return HTML.group([
            el("span", ["id": "costs"]),
            panel.costs.isEmpty ? .empty : el("div", ["class": "table-wrap"], el("table", ["id": "cost-list"], el("tbody", [:], rows))),
            el(
                "form", ["method": "post", "action": SiteURL.caseCosts(record.id!).path, "class": "panel", "id": "cost-form"],
                Layout.csrfField(req),
                f.summary, f.message("case"),
                el(
                    "div", ["class": "grid"],
                    el(
                        "div", [:],
                        f.select(
                            "domain", label: L10n.t("console.domain", lang),
                            options: ScopeDomain.allCases.map { ($0.rawValue, L10n.t("domain.\($0.rawValue)", lang)) },
                            selected: input?.domain)),
                    el("div", [:], f.input("supplier", label: L10n.t("field.supplier", lang), value: input?.supplier, required: true)),
                    el(
                        "div", [:],
                        f.input(
                            "amount", label: L10n.t("billing.field.amount", lang), value: input?.amount, required: true,
                            extra: ["inputmode": "decimal"])),
                    el("div", [:], f.select("currency", label: L10n.t("field.currency", lang), options: currencies, selected: defaultCurrency))),
                f.input("purpose", label: L10n.t("console.what_for", lang), value: input?.purpose, required: true),
                el(
                    "label", [:],
                    el(
                        "input", ["type": "checkbox", "name": "bookingChange", "id": "booking-change", "checked": .flag(input?.bookingChange == "on")]
                    ),
                    " ", .text(L10n.t("console.booking_change", lang))),
                el(
                    "label", [:],
                    el("input", ["type": "checkbox", "name": "emergency", "id": "emergency", "checked": .flag(input?.emergency == "on")]),
                    " ", .text(L10n.t("console.emergency", lang))),
                f.message("emergency"),
                el("label", ["for": "justification"], .text(L10n.t("console.justification", lang))),
                el("textarea", ["id": "justification", "name": "justification", "rows": "2"], .text(input?.justification ?? "")),
                f.message("justification"),
                el("button", ["type": "submit", "id": "record-cost"], .text(L10n.t("console.record_cost", lang)))),
            contactAttempts(req: req, record: record, panel: panel, zone: zone, f: f)
        ])
    }

    /// Clause 2.10's exception is for an agency that cannot be reached: the expert records each attempt here.
    static func contactAttempts(req: Request, record: CaseRecord, panel: CostPanel, zone: TimeZone, f: FormErrors) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let items = panel.contactAttempts.map { a in
            el(
                "li", ["class": "contact-attempt"],
                .text(
                    t(
                        "contact.line",
                        [
                            "time": LocalDateTime.display(a.attemptedAt, in: zone, language: lang, withZone: false),
                            "channel": t("contact.channel.\(a.channel)"), "result": t("contact.result.\(a.result)")
                        ]) + (a.note.map { " – \($0)" } ?? "")))
        }
        return el(
            "form",
            ["method": "post", "action": SiteURL.caseContactAttempts(record.id ?? SiteURL.Parameter.id).path, "class": "panel", "id": "contact-form"],
            Layout.csrfField(req),
            el("h3", [:], .text(t("contact.title"))),
            items.isEmpty ? el("p", ["class": "muted"], .text(t("contact.none"))) : el("ul", ["id": "contact-attempts"], items),
            el(
                "div", ["class": "grid"],
                el(
                    "div", [:],
                    f.select(
                        "contactChannel", label: t("contact.channel"),
                        options: AgencyContactChannel.allCases.map { ($0.rawValue, t("contact.channel.\($0)")) }, selected: nil)),
                el(
                    "div", [:],
                    f.select(
                        "contactResult", label: t("contact.result"),
                        options: AgencyContactResult.allCases.map { ($0.rawValue, t("contact.result.\($0)")) }, selected: nil)),
                el("div", [:], f.input("contactNote", label: t("contact.note"), value: nil, required: false))),
            el("button", ["type": "submit", "class": "secondary", "id": "record-contact"], .text(t("contact.record"))))
    }

    /// Page numbers under the queue, keeping its filters.
    static func pager(page: Int, pages: Int, filters: ConsolePagesController.QueueFilters) -> HTML {
        Layout.pageLinks(page: page, pages: pages) { n in
            var items = ["page=\(n)"]
            if let status = filters.status { items.append("status=\(status.rawValue)") }
            if let code = filters.destination, !code.isEmpty {
                items.append("destination=" + (code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let language = filters.language { items.append("language=\(language.rawValue)") }
            if let channel = filters.channel { items.append("channel=\(channel.rawValue)") }
            if let category = filters.category { items.append("category=\(category.rawValue)") }
            if let holder = filters.holder { items.append("holder=\(holder)") }
            return SiteURL.console.with("?") + items.joined(separator: "&")
        }
    }

    static let js = """
        (function () {
          function esc(s) { var d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML; }
          var state = document.getElementById('live-state');
          var words = {};
          try { words = JSON.parse((state && state.getAttribute('data-words')) || '{}'); } catch (e) { words = {}; }
          function word(key, fallback) { return words[key] || fallback; }
          var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
          // Presence: this page tells the others which case is open here and when its expert types; it shows theirs.
          var me = '', socket = null, lastTyping = 0, others = {};
          function openCaseID() { var c = document.getElementById('case'); return c ? c.getAttribute('data-case') : null; }
          function announce(kind) {
            var id = openCaseID();
            if (!id || !socket || socket.readyState !== 1) return false;
            socket.send(JSON.stringify({ type: kind, caseID: id }));
            return true;
          }
          function showPresence(ev) {
            if (!ev.userID || ev.userID === me || ev.caseID !== openCaseID()) return;
            others[ev.userID] = { name: ev.from, kind: ev.decision, until: Date.now() + (ev.decision === 'typing' ? 6000 : 40000) };
            drawPresence();
          }
          function drawPresence() {
            var line = document.getElementById('presence');
            if (!line) return;
            var now = Date.now(), parts = [];
            Object.keys(others).forEach(function (k) {
              var o = others[k];
              if (o.until < now) { delete others[k]; return; }
              parts.push(word('presence.' + o.kind, '{name}').split('{name}').join(o.name));
            });
            line.textContent = parts.join(' · ');
            line.setAttribute('data-state', parts.length ? 'others' : 'alone');
          }
          setInterval(function () { announce('viewing'); drawPresence(); }, 15000);
          setInterval(drawPresence, 2000);
          var connectedBefore = false;
          function resync() {
            var typed = document.getElementById('reply-text');
            if (!typed || !typed.value) location.reload();
          }
          function connect() {
            var ws = new WebSocket(proto + location.host + '/console/live');
            ws.onopen = function () {
              if (state) { state.textContent = word('live', 'live'); state.setAttribute('data-state', 'live'); }
              // Back after a cut: events sent meanwhile were missed, so the page reads its data again.
              if (connectedBefore) resync();
              connectedBefore = true;
            };
            ws.onclose = function () { if (state) { state.textContent = word('reconnecting', 'reconnecting…'); state.setAttribute('data-state', 'reconnecting'); } setTimeout(connect, 2000); };
            ws.onmessage = function (e) {
              var ev = JSON.parse(e.data);
              if (ev.type === 'hello') { me = ev.me || ''; socket = ws; announce('viewing'); return; }
              if (ev.type === 'presence') { showPresence(ev); return; }
              if (ev.type === 'resync') { resync(); return; }
              var queue = document.querySelector('#queue tbody');
              if (queue) {
                var row = queue.querySelector('tr[data-case="' + ev.caseID + '"]');
                // A resolved case leaves the queue; a satisfaction answer on it does not bring it back.
                if (ev.type === 'case_resolved' || ev.status === 'resolved') { if (row) row.remove(); scheduleRefresh(); return; }
                if (!row) {
                  row = document.createElement('tr');
                  row.setAttribute('data-case', ev.caseID);
                  row.innerHTML = '<td><a href="/console/cases/' + esc(ev.caseID) + '">' + esc(ev.from || '?') + '</a></td><td></td><td></td><td></td><td class="status"></td><td class="holder"></td><td class="last"></td><td></td><td class="sla"></td>';
                  queue.insertBefore(row, queue.firstChild);
                }
                if (ev.text) row.querySelector('.last').textContent = ev.text;
                if (ev.status) row.querySelector('.status').textContent = word('case.' + ev.status, ev.status);
              }
              if (ev.type === 'approval_decided') {
                var cell = document.querySelector('tr[data-approval="' + ev.approvalID + '"] .approval-status');
                if (cell) cell.textContent = word('approval.' + ev.decision, ev.decision) + (ev.comment ? ' – ' + ev.comment : '');
              }
              scheduleRefresh();
              var thread = document.getElementById('thread');
              var current = document.getElementById('case');
              if (thread && current && ev.type === 'message' && current.getAttribute('data-case') === ev.caseID) {
                // The traveller wrote: the window opens again for 24 hours (7 days of human-agent tag on Messenger).
                var reply = document.getElementById('reply');
                if (reply && reply.getAttribute('data-channel') !== 'voice') {
                  reply.setAttribute('data-free-until', String(Date.now() + 86400000));
                  if (reply.getAttribute('data-channel') === 'messenger') reply.setAttribute('data-human-until', String(Date.now() + 7 * 86400000));
                  tick();
                }
                var div = document.createElement('div');
                div.className = 'panel msg inbound';
                div.innerHTML = '<small class="muted">' + esc(word('now', 'now')) + '</small><div>' + esc(ev.text) + '</div>';
                thread.appendChild(div);
                toNewest();
              }
            };
          }
          // The queue reread after live events (a second apart at most): new cases, reordering by deadline, a case
          // taken by someone else. The workspace's column and the queue page's table both come from the server.
          var column = document.getElementById('queue-column');
          var refreshTimer = null;
          function scheduleRefresh() {
            if (refreshTimer) return;
            refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 1500);
          }
          function refresh() {
            if (column) {
              fetch(column.getAttribute('data-src'), { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
                if (!html) return;
                var holder = document.createElement('div');
                holder.innerHTML = html;
                var list = holder.querySelector('#queue-list'), old = document.getElementById('queue-list');
                if (!list) return;
                if (old) old.replaceWith(list); else column.appendChild(list);
              });
            }
            var table = document.querySelector('#queue tbody');
            if (table) {
              fetch(location.href, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
                if (!html) return;
                var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('#queue tbody');
                var selected = document.querySelector('#queue tbody tr.selected');
                var keep = selected && selected.getAttribute('data-case');
                if (fresh) table.replaceWith(fresh);
                if (keep) { var again = document.querySelector('#queue tbody tr[data-case="' + keep + '"]'); if (again) again.classList.add('selected'); }
              });
            }
          }
          if (column) refresh();
          connect();
          // Keyboard: j / k next and previous case, r reply, n note, x resolve (never while typing).
          document.addEventListener('keydown', function (e) {
            var tag = (e.target && e.target.tagName) || '';
            if (e.ctrlKey || e.metaKey || e.altKey || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (e.target && e.target.isContentEditable)) return;
            var rows = document.querySelectorAll('#queue tbody tr');
            if (rows.length && (e.key === 'j' || e.key === 'k' || e.key === 'Enter')) {
              var list = Array.prototype.slice.call(rows), at = list.findIndex(function (r) { return r.classList.contains('selected'); });
              if (e.key === 'Enter') { if (at >= 0) { var a = list[at].querySelector('a'); if (a) location.href = a.href; } return; }
              var next = Math.max(0, Math.min(list.length - 1, at + (e.key === 'j' ? 1 : -1)));
              if (at >= 0) list[at].classList.remove('selected');
              list[next].classList.add('selected');
              list[next].scrollIntoView({ block: 'nearest' });
              e.preventDefault();
              return;
            }
            var current = document.getElementById('case');
            if (!current) return;
            if (e.key === 'j' || e.key === 'k') {
              var items = Array.prototype.slice.call(document.querySelectorAll('#queue-list li'));
              var here = items.findIndex(function (li) { return li.getAttribute('data-case') === current.getAttribute('data-case'); });
              var target = here < 0 ? items[0] : items[here + (e.key === 'j' ? 1 : -1)];
              if (target) { location.href = target.querySelector('a').href; e.preventDefault(); }
            } else if (e.key === 'r') {
              var box = document.getElementById('reply-text'), picker = document.getElementById('template');
              var free = document.getElementById('free-reply');
              if (box && free && !free.hidden) box.focus(); else if (picker) picker.focus();
              e.preventDefault();
            } else if (e.key === 'n') {
              var fold = document.getElementById('notes-fold');
              if (fold) { fold.open = true; var note = fold.querySelector('textarea'); if (note) { note.focus(); note.scrollIntoView({ block: 'center' }); } }
              e.preventDefault();
            } else if (e.key === 'x') {
              var summary = document.getElementById('summary');
              if (summary) { summary.focus(); summary.scrollIntoView({ block: 'center' }); }
              e.preventDefault();
            }
          });
          // The conversation fills the screen under the header, the newest message in view above the reply box.
          var conversation = document.getElementById('conversation');
          var threadBox = document.getElementById('thread');
          // Stays on the newest message while the expert has not scrolled up, whatever changes the thread's height
          // (the live state's line wrapping on a phone, a message arriving, the window turning).
          var atNewest = true;
          function toNewest() { if (threadBox) { threadBox.scrollTop = threadBox.scrollHeight; atNewest = true; } }
          if (threadBox) {
            threadBox.addEventListener('scroll', function () {
              atNewest = threadBox.scrollTop + threadBox.clientHeight >= threadBox.scrollHeight - 4;
            });
            if (window.ResizeObserver) new ResizeObserver(function () { if (atNewest) threadBox.scrollTop = threadBox.scrollHeight; }).observe(threadBox);
          }
          function fit() {
            if (!conversation) return;
            var top = conversation.getBoundingClientRect().top + window.scrollY;
            conversation.style.height = Math.max(window.innerHeight - top - 8, 320) + 'px';
            toNewest();
          }
          if (conversation) { fit(); window.addEventListener('resize', fit); }
          var canned = document.getElementById('canned');
          if (canned) canned.addEventListener('change', function () {
            var box = document.getElementById('reply-text');
            if (canned.value) { box.value = canned.value; box.focus(); }
            canned.selectedIndex = 0;
          });
          var form = document.getElementById('reply');
          function csrf() { return document.querySelector('meta[name="csrf-token"]').getAttribute('content'); }
          function appendSent(body, res) {
            var div = document.createElement('div');
            div.className = 'panel msg outbound';
            div.setAttribute('data-id', res.id);
            div.innerHTML = '<small class="muted">' + esc(word('now', 'now')) + ' · ' + esc(word('message.' + res.status, res.status)) + '</small><div>' + esc(body) + '</div>';
            document.getElementById('thread').appendChild(div);
            toNewest();
          }
          // Sends a reply (free text or a template) and shows the server's refusal, field by field, under the box.
          function send(payload, done) {
            fetch('/console/cases/' + form.getAttribute('data-case') + '/messages', {
              method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() }, body: JSON.stringify(payload)
            }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); }).then(function (res) {
              var err = document.getElementById('reply-error');
              // Someone else holds the case: the expert confirms before the reply goes.
              if (!res.ok && /held-by-other$/.test(res.body.type || '') && !payload.confirmHeld) {
                if (window.confirm(res.body.detail)) { payload.confirmHeld = true; send(payload, done); }
                return;
              }
              if (!res.ok) { err.textContent = res.body.detail || res.body.title; return; }
              err.textContent = '';
              done(res.body);
            });
          }
          var typed = document.getElementById('reply-text');
          if (typed) typed.addEventListener('input', function () {
            // Said again every 3 s while the expert types; a key pressed while the socket reconnects is not counted.
            if (Date.now() - lastTyping > 3000 && announce('typing')) lastTyping = Date.now();
          });
          if (form) form.addEventListener('submit', function (e) {
            e.preventDefault();
            if (form.getAttribute('data-mode') === 'template') return;
            var text = document.getElementById('reply-text').value;
            send({ text: text }, function (res) { appendSent(res.body || text, res); document.getElementById('reply-text').value = ''; });
          });
          // The template picker: the chosen template's variables (filled from the case) and its text as the traveller
          // will read it.
          var picker = document.getElementById('template');
          function currentFields() {
            return picker ? document.querySelector('fieldset.template-fields[data-template="' + picker.value + '"]') : null;
          }
          function preview() {
            var fields = currentFields(), box = document.getElementById('template-preview');
            if (!fields || !box) return;
            var text = fields.getAttribute('data-body');
            fields.querySelectorAll('input').forEach(function (input) {
              text = text.split('{{' + (Number(input.getAttribute('data-index')) + 1) + '}}').join(input.value);
            });
            box.textContent = text;
          }
          if (picker) {
            picker.addEventListener('change', function () {
              document.querySelectorAll('fieldset.template-fields').forEach(function (f) { f.hidden = f.getAttribute('data-template') !== picker.value; });
              preview();
            });
            document.querySelectorAll('fieldset.template-fields input').forEach(function (i) { i.addEventListener('input', preview); });
            preview();
            document.getElementById('send-template').addEventListener('click', function () {
              var parameters = [];
              currentFields().querySelectorAll('input').forEach(function (input) { parameters.push(input.value); });
              send({ template: { name: picker.value, parameters: parameters } }, function (res) { appendSent(res.body || '', res); });
            });
          }
          // The window turns by the clock while the page is open: free text until 24 h after the traveller's last
          // message, then a template on WhatsApp (or the human agent's tag on Messenger, until 7 days).
          function span(ms) {
            var minutes = Math.max(0, Math.floor(ms / 60000));
            if (minutes < 60) return minutes + ' min';
            var m = minutes % 60;
            return Math.floor(minutes / 60) + ' h ' + (m < 10 ? '0' : '') + m;
          }
          function tick() {
            if (!form) return;
            var mode = form.getAttribute('data-mode'), channel = form.getAttribute('data-channel');
            var freeUntil = Number(form.getAttribute('data-free-until') || 0), humanUntil = Number(form.getAttribute('data-human-until') || 0);
            if (!freeUntil || (channel !== 'whatsapp' && channel !== 'messenger')) return;
            var now = Date.now(), next = mode, until = 0;
            if (now < freeUntil) { next = 'free'; until = freeUntil; }
            else if (channel === 'messenger' && now < humanUntil) { next = 'human'; until = humanUntil; }
            else next = channel === 'whatsapp' ? 'template' : 'closed';
            form.setAttribute('data-mode', next);
            var state = document.getElementById('window-state');
            if (state) { state.textContent = word('window.' + next, '').split('{time}').join(span(until - now)); state.setAttribute('data-mode', next); }
            var free = document.getElementById('free-reply'), template = document.getElementById('template-reply');
            if (free) free.hidden = next === 'template' || next === 'closed';
            if (template) template.hidden = next !== 'template';
            if (next !== mode) fit();
          }
          if (form) { tick(); setInterval(tick, 5000); }
        })();
        """
}

/// Replies the expert inserts and adapts, in the traveller's language.
enum CannedReplies {
    static let keys = [
        "canned.greeting", "canned.hours", "canned.reference", "canned.calling_supplier", "canned.agency_approval", "canned.emergency",
        "canned.resolved"
    ]
}
