import Fluent
import Foundation
import OnSpotCore
import Vapor

enum DashboardController {
    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.user
        let lang = req.language
        let now = req.now
        switch user.role {
        case .agencyAdmin, .agencyAgent:
            let agency = try req.agency
            let agencyID = try agency.requireID()
            let booked = TripStatus.booked.rawValue
            let upcoming = try await TripService.summaries(on: req.db) { trips in
                trips.where("agency_id", .equal, agencyID).where("status", .equal, booked)
                    .where("departure_at", .greaterThan, now).where("departure_at", .lessThan, now.addingTimeInterval(30 * 86400))
                    .orderBy("departure_at").limit(50)
            }
            // At destination now: arrived and not yet back.
            let present = try await TripService.summaries(on: req.db) { trips in
                trips.where("agency_id", .equal, agencyID).where("status", .equal, booked)
                    .where("arrival_at", .lessThanOrEqual, now).where("return_at", .greaterThanOrEqual, now)
                    .orderBy("return_at").limit(100)
            }
            let answeredScope = (try await ScopeService.current(agencyID: agencyID, on: req.db))?.version ?? 0 > 1
            // What needs the agency now: approvals waiting for it, and emergency overrides of the last 7 days.
            let pending = try await Approval.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$status == .pending).count()
            let overrides = try await CostAction.query(on: req.db).filter(\.$agencyID == agencyID)
                .filter(\.$decision == CostOutcome.emergencyOverride).filter(\.$createdAt >= now.addingTimeInterval(-7 * 86400)).count()
            let notices = try await NotificationRecord.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$channel == .portal)
                .sort(\.$createdAt, .descending).limit(10).all()
            let alerts = try await AlertsController.dashboardRows(agencyID: agencyID, now: now, on: req.db)
            return req.html(
                DashboardViews.agency(
                    req: req, agency: agency, upcoming: upcoming, present: present,
                    answeredScope: answeredScope, pendingApprovals: pending, recentOverrides: overrides,
                    notices: notices, alerts: alerts, now: now))
        case .expert, .onspotAdmin:
            var destinations = try await DestinationRecord.query(on: req.db).filter(\.$active == true).sort(\.$countryCode).sort(\.$name).all()
            if user.role == .expert {
                let covered = try await ExpertDestination.query(on: req.db).filter(\.$user.$id == user.requireID()).all(\.$destination.$id)
                destinations = destinations.filter { covered.contains($0.id!) }
            }
            // Alerts addressed to this person, such as an expired channel token for OnSpot admins.
            let notices = try await NotificationRecord.query(on: req.db).filter(\.$userID == user.requireID()).filter(\.$channel == .portal)
                .sort(\.$createdAt, .descending).limit(10).all()
            return req.html(DashboardViews.staff(req: req, destinations: destinations, notices: notices, now: now, lang: lang))
        }
    }
}
