import Fluent
import Foundation
import OnSpotCore
import Vapor

/// What the agency can prove later: its audit trail (page and CSV) and its monthly reports (page and CSV).
/// Both read only rows carrying the signed-in user's agency.
enum AuditReportsController {
    static let pageSize = 100

    @Sendable static func audit(req: Request) async throws -> Response {
        let agency = try req.agency
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 100_000))
        let action = req.query[String.self, at: "action"].flatMap { $0.isEmpty || $0.count > 64 ? nil : $0 }
        let query = AuditEntry.query(on: req.db).filter(\.$chain == AuditLog.chain(of: try agency.requireID()))
        if let action { query.filter(\.$action == action) }
        let entries = try await query.sort(\.$chainSequence, .descending).range((page - 1) * pageSize..<page * pageSize + 1).all()
        let names = try await actorNames(entries, on: req.db)
        let broken = try await AuditLog.verify(agencyID: agency.requireID(), shown: Array(entries.prefix(pageSize)), on: req.db)
        return req.html(
            AuditReportViews.audit(
                req: req, agency: agency, entries: Array(entries.prefix(pageSize)), names: names, page: page,
                hasMore: entries.count > pageSize, action: action, brokenAt: broken))
    }

    static func actorNames(_ entries: [AuditEntry], on db: any Database) async throws -> [UUID: String] {
        let ids = Set(entries.compactMap(\.actorUserID))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.email) })
    }

    /// The whole trail of the agency, oldest first, with each entry's hash and its predecessor's, so it can be checked offline.
    @Sendable static func auditCSV(req: Request) async throws -> Response {
        let agency = try req.agency
        // The agency's own chain: its sequence numbers and hashes say nothing of other agencies' activity.
        let entries = try await AuditEntry.query(on: req.db).filter(\.$chain == AuditLog.chain(of: agency.requireID()))
            .sort(\.$chainSequence).all()
        let names = try await actorNames(entries, on: req.db)
        var csv = CSV(header: ["sequence", "time", "actor", "action", "subject_type", "subject_id", "detail", "previous_hash", "hash"])
        for e in entries {
            csv.row([
                String(e.chainSequence ?? 0), LocalDateTime.iso8601(e.createdAt, in: agency.zone), e.actorUserID.flatMap { names[$0] } ?? e.actorKind,
                e.action, e.subjectType, e.subjectID ?? "", e.detail, e.chainPreviousHash ?? "", e.chainHash ?? ""
            ])
        }
        return csv.response(filename: "audit-\(agency.id!.uuidString.prefix(8)).csv")
    }

    static func report(_ req: Request) async throws -> (Agency, String, MonthlyReport, [CostAction], SatisfactionSummary) {
        let agency = try req.agency
        let month = req.query[String.self, at: "month"] ?? MonthlyReports.currentMonth(of: agency, now: req.now)
        guard let built = try await MonthlyReports.build(agency: agency, month: month, on: req.db) else {
            throw PageError(status: .unprocessableEntity, messageKey: "report.error.month")
        }
        return (agency, month, built.report, built.overrides, built.satisfaction)
    }

    @Sendable static func reports(req: Request) async throws -> Response {
        let (agency, month, report, overrides, satisfaction) = try await report(req)
        return req.html(
            AuditReportViews.report(req: req, agency: agency, month: month, report: report, overrides: overrides, satisfaction: satisfaction))
    }

    @Sendable static func reportsCSV(req: Request) async throws -> Response {
        let (agency, month, report, overrides, satisfaction) = try await report(req)
        var csv = CSV(header: ["section", "key", "value"])
        csv.row(["cases", "opened", String(report.casesOpened)])
        csv.row(["cases", "resolved", String(report.casesResolved)])
        for (domain, amount) in report.committedByDomain.sorted(by: { $0.key < $1.key }) {
            csv.row(["costs", domain, Money(minorUnits: amount, currency: agency.currency).majorUnitsText])
        }
        csv.row(["costs", "total", Money(minorUnits: report.committedTotal, currency: agency.currency).majorUnitsText])
        for (status, count) in report.approvalsByStatus.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            csv.row(["approvals", status.rawValue, String(count)])
        }
        csv.row(["approvals", "median_minutes_to_decision", report.medianMinutesToDecision.map(String.init) ?? ""])
        csv.row(["approvals", "mean_minutes_to_decision", report.meanMinutesToDecision.map(String.init) ?? ""])
        csv.row(["overrides", "count", String(report.overrides)])
        csv.row(["overrides", "total", Money(minorUnits: report.overrideTotal, currency: agency.currency).majorUnitsText])
        for o in overrides {
            csv.row([
                "override", LocalDateTime.iso8601(o.createdAt, in: agency.zone),
                "\(o.domain) \(o.agencyMoney.majorUnitsText) \(o.supplier): \(o.emergencyJustification ?? "")"
            ])
        }
        for row in satisfaction.rows {
            let key = "\(row.month) \(row.destination)"
            csv.row(["satisfaction", key + " cases", String(row.cases)])
            csv.row(["satisfaction", key + " answers", String(row.answers)])
            csv.row(["satisfaction", key + " satisfied_share", row.satisfiedShare.map { String(format: "%.3f", $0) } ?? ""])
            csv.row(["satisfaction", key + " first_response_met_share", row.firstResponseMetShare.map { String(format: "%.3f", $0) } ?? ""])
            csv.row(["satisfaction", key + " resolution_met_share", row.resolutionMetShare.map { String(format: "%.3f", $0) } ?? ""])
        }
        return csv.response(filename: "report-\(month).csv")
    }

    // MARK: exchange rates (OnSpot admins)

    @Sendable static func rates(req: Request) async throws -> Response {
        let rates = try await ExchangeRateRecord.query(on: req.db).sort(\.$fromCurrency).sort(\.$toCurrency).all()
        return req.html(AuditReportViews.rates(req: req, rates: rates, error: nil))
    }

    @Sendable static func saveRate(req: Request) async throws -> Response {
        struct Form: Content { var from: String?; var to: String?; var rate: String? }
        let form = try req.content.decode(Form.self)
        guard let from = form.from.flatMap(CurrencyCode.init(rawValue:)), let to = form.to.flatMap(CurrencyCode.init(rawValue:)), from != to else {
            let rates = try await ExchangeRateRecord.query(on: req.db).sort(\.$fromCurrency).all()
            return req.html(AuditReportViews.rates(req: req, rates: rates, error: L10n.t("error.choice", req.language)), status: .unprocessableEntity)
        }
        guard let text = form.rate?.trimmingCharacters(in: .whitespaces), ExchangeRate.parse(text) != nil else {
            let rates = try await ExchangeRateRecord.query(on: req.db).sort(\.$fromCurrency).all()
            return req.html(AuditReportViews.rates(req: req, rates: rates, error: L10n.t("rate.error", req.language)), status: .unprocessableEntity)
        }
        let record =
            try await ExchangeRateRecord.query(on: req.db).filter(\.$fromCurrency == from).filter(\.$toCurrency == to).first()
            ?? ExchangeRateRecord()
        let previous = record.id == nil ? "" : record.rate
        record.fromCurrency = from
        record.toCurrency = to
        record.rate = text.replacingOccurrences(of: ",", with: ".")
        record.updatedAt = req.now
        record.updatedBy = try req.user.id
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: nil, actor: try req.user.id, action: .exchangeRateSet, subjectType: "exchange_rate",
            subjectID: "\(from.rawValue)/\(to.rawValue)", detail: ["rate": record.rate, "previous": previous])
        req.flash("\(from.rawValue) → \(to.rawValue): \(record.rate)")
        return req.redirect(to: .adminRates)
    }
}

/// RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote.
struct CSV {
    private var lines: [String]

    init(header: [String]) { lines = [Self.line(header)] }

    mutating func row(_ cells: [String]) { lines.append(Self.line(cells)) }

    static func line(_ cells: [String]) -> String { CSVExport.line(cells) }

    func response(filename: String) -> Response {
        let response = Response(status: .ok, body: .init(string: lines.joined(separator: "\r\n") + "\r\n"))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
