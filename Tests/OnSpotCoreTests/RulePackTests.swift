import Foundation
import XCTest
@testable import OnSpotCore

struct PackVector: @unchecked Sendable {
    let name: String
    let clause: String
    let request: ConditionsRequest
    let check: (ConditionsAssessment) -> Void
}

func req(_ pack: String, _ event: String, _ fill: (inout ConditionsRequest) -> Void) -> ConditionsRequest {
    var r = ConditionsRequest(pack: pack, event: event)
    fill(&r)
    return r
}

func eur(_ a: Decimal) -> Amount { Amount(a, "EUR") }

final class RulePackTests: XCTestCase {
    static let engine: ConditionsEngine = try! ConditionsEngine.bundled()

    static let vectors: [PackVector] = [
        // onspot-cgv (000)
        .init(
            name: "registered 72h01 before departure", clause: "Comment ça marche 1",
            request: req("onspot-cgv", "registration") {
                $0.eventDate = "2026-05-29T09:59:00+02:00"; $0.departure = "2026-06-01T10:00:00+02:00"
            }
        ) {
            XCTAssertTrue($0.allowed); XCTAssertEqual($0.deadlines, [Deadline(kind: "register_by", date: "2026-05-29T10:00:00+02:00")])
        },
        .init(
            name: "registered exactly 72h before", clause: "Comment ça marche 1",
            request: req("onspot-cgv", "registration") {
                $0.eventDate = "2026-05-29T10:00:00+02:00"; $0.departure = "2026-06-01T10:00:00+02:00"
            }
        ) {
            XCTAssertTrue($0.allowed)
        },
        .init(
            name: "registered 71h before", clause: "Comment ça marche 1",
            request: req("onspot-cgv", "registration") {
                $0.eventDate = "2026-05-29T11:00:00+02:00"; $0.departure = "2026-06-01T10:00:00+02:00"
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "service starts 72h before arrival", clause: "2.7",
            request: req("onspot-cgv", "service_start") { $0.arrival = "2026-06-01T16:00:00-04:00" }
        ) {
            XCTAssertEqual($0.deadlines.first?.date, "2026-05-29T16:00:00-04:00"); XCTAssertEqual($0.citations, ["2.7"])
        },
        .init(
            name: "LIGHT cancelled exactly 7 days before", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "LIGHT"; $0.eventDate = "2026-05-25"; $0.departure = "2026-06-01"; $0.price = eur(40)
            }
        ) {
            XCTAssertEqual($0.refund, eur(40))
        },
        .init(
            name: "LIGHT cancelled 6 days before", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "LIGHT"; $0.eventDate = "2026-05-26"; $0.departure = "2026-06-01"; $0.price = eur(40)
            }
        ) {
            XCTAssertEqual($0.refund, eur(0)); XCTAssertTrue($0.allowed)
        },
        .init(
            name: "PLUS cancelled exactly 24h before", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "PLUS"; $0.eventDate = "2026-05-31T10:00:00+02:00"; $0.departure = "2026-06-01T10:00:00+02:00"; $0.price = eur(60)
            }
        ) {
            XCTAssertEqual($0.refund, eur(60))
        },
        .init(
            name: "PLUS cancelled 23h before", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "PLUS"; $0.eventDate = "2026-05-31T11:00:00+02:00"; $0.departure = "2026-06-01T10:00:00+02:00"; $0.price = eur(60)
            }
        ) {
            XCTAssertEqual($0.refund, eur(0))
        },
        .init(
            name: "PLUS 24 real hours across the spring clock change", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "PLUS"; $0.eventDate = "2026-03-28T09:00:00+01:00"; $0.departure = "2026-03-29T10:00:00+02:00"; $0.price = eur(60)
            }
        ) {
            XCTAssertEqual($0.refund, eur(60), "Paris clocks show 25 h, but 08:00 UTC to 08:00 UTC is exactly 24 h")
        },
        .init(
            name: "PLUS 23 real hours although the wall clocks say 24", clause: "5",
            request: req("onspot-cgv", "service_cancellation") {
                $0.plan = "PLUS"; $0.eventDate = "2026-03-28T10:00:00+01:00"; $0.departure = "2026-03-29T10:00:00+02:00"; $0.price = eur(60)
            }
        ) {
            XCTAssertEqual($0.refund, eur(0), "Paris clocks show 24 h, but only 23 real hours remain")
        },
        .init(
            name: "LIGHT pays by card at booking", clause: "4.1",
            request: req("onspot-cgv", "service_payment") {
                $0.plan = "LIGHT"; $0.bookingDate = "2026-04-10"; $0.departure = "2026-06-01"; $0.price = eur(45)
            }
        ) {
            XCTAssertEqual($0.installments, [Installment(dueDate: "2026-04-10", amount: 45, currency: "EUR")])
        },
        .init(
            name: "PLUS invoiced on the 1st of the month before, due 15 days before departure", clause: "4.1",
            request: req("onspot-cgv", "service_payment") {
                $0.plan = "PLUS"; $0.bookingDate = "2026-01-10"; $0.departure = "2026-03-20"; $0.price = eur(90)
            }
        ) {
            XCTAssertEqual($0.deadlines, [Deadline(kind: "invoice_issued", date: "2026-02-01"), Deadline(kind: "pay_by", date: "2026-03-05")])
        },
        // lastminute-sejour (002)
        .init(
            name: "ordered 100 days ahead for 2,000 EUR: three payments", clause: "B.3.3",
            request: req("lastminute-sejour", "payment_schedule") {
                $0.bookingDate = "2026-01-01"; $0.departure = "2026-04-11"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.installments.map(\.amount), [600, 490, 910])
            XCTAssertEqual($0.installments.map(\.dueDate), ["2026-01-01", "2026-02-10", "2026-03-12"])
            XCTAssertTrue($0.notes.contains { $0.contains("35%") }, "the doubt is stated")
        },
        .init(
            name: "ordered 100 days ahead for 1,000 EUR", clause: "B.3.1",
            request: req("lastminute-sejour", "payment_schedule") {
                $0.bookingDate = "2026-01-01"; $0.departure = "2026-04-11"; $0.price = eur(1000)
            }
        ) {
            XCTAssertEqual($0.installments.map(\.amount), [300, 700])
        },
        .init(
            name: "ordered exactly 90 days ahead for 2,000 EUR", clause: "B.3.1",
            request: req("lastminute-sejour", "payment_schedule") {
                $0.bookingDate = "2026-01-01"; $0.departure = "2026-04-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.citations, ["B.3.1"])
        },
        .init(
            name: "ordered exactly 30 days ahead: paid in full", clause: "B.3.2",
            request: req("lastminute-sejour", "payment_schedule") {
                $0.bookingDate = "2026-03-02"; $0.departure = "2026-04-01"; $0.price = eur(800)
            }
        ) {
            XCTAssertEqual($0.installments, [Installment(dueDate: "2026-03-02", amount: 800, currency: "EUR")])
        },
        .init(
            name: "cancelled with 300 EUR back from suppliers and 80 EUR of taxes", clause: "B.10.1",
            request: req("lastminute-sejour", "traveller_cancellation") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.price = eur(1500); $0.supplierRefund = eur(300);
                $0.refundableTaxes = eur(80)
            }
        ) {
            XCTAssertEqual($0.refund, eur(330));
            XCTAssertTrue($0.charges.contains(Charge(kind: "management_fee", amount: 50, currency: "EUR", atLeast: false)))
            XCTAssertEqual($0.deadlines, [Deadline(kind: "taxes_refund_by", date: "2026-03-31")])
        },
        .init(
            name: "a partial refund of exactly 50 EUR bears no fee", clause: "B.10.1",
            request: req("lastminute-sejour", "traveller_cancellation") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.supplierRefund = eur(50)
            }
        ) {
            XCTAssertEqual($0.refund, eur(50)); XCTAssertTrue($0.charges.isEmpty)
        },
        .init(
            name: "organiser cancels for an outside event", clause: "B.10.2.a",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "external_event"; $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.price = eur(1500)
            }
        ) {
            XCTAssertEqual($0.refund, eur(1500)); XCTAssertEqual($0.options, ["refund", "accept"]); XCTAssertNil($0.indemnity)
        },
        .init(
            name: "organiser cancels without justification", clause: "B.10.2.b",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "no_justification"; $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.price = eur(1500)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 1500); XCTAssertEqual($0.options, ["refund", "alternative_trip"])
        },
        .init(
            name: "too few participants, 21 days ahead", clause: "B.10.2.c",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "minimum_participants"; $0.eventDate = "2026-03-11"; $0.departure = "2026-04-01"; $0.price = eur(1500)
            }
        ) {
            XCTAssertEqual($0.refund, eur(1500)); XCTAssertNil($0.indemnity)
        },
        .init(
            name: "too few participants, notified only 15 days ahead: B.10.2.b governs", clause: "B.10.2.c, B.10.2.b",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "minimum_participants"; $0.eventDate = "2026-03-17"; $0.departure = "2026-04-01"; $0.price = eur(1500)
            }
        ) {
            XCTAssertEqual($0.refund, eur(1500))
            XCTAssertEqual($0.indemnity, Indemnity(amount: 1500, currency: "EUR", atLeast: false), "the ceiling: the penalty of B.10.1 on that date")
            XCTAssertTrue(Set(["refund", "alternative_trip"]).isSubset(of: $0.options), "\($0.options)")
            XCTAssertTrue($0.citations.contains("B.10.2.b") && $0.citations.contains("B.10.2.c"), "\($0.citations)")
            XCTAssertFalse($0.notes.contains { $0.contains("refund without indemnity") }, "the exemption's own note is not given when it fails")
        },
        .init(
            name: "too few participants, 21 days to the minute: still exempt", clause: "B.10.2.c",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "minimum_participants"; $0.eventDate = "2026-03-11T10:00:00+01:00"; $0.departure = "2026-04-01T11:00:00+02:00";
                $0.price = eur(1500)
            }
        ) {
            XCTAssertNil($0.indemnity); XCTAssertEqual($0.options, ["refund"])
        },
        .init(
            name: "too few participants, a minute later: B.10.2.b", clause: "B.10.2.c, B.10.2.b",
            request: req("lastminute-sejour", "organiser_cancellation") {
                $0.reason = "minimum_participants"; $0.eventDate = "2026-03-11T10:01:00+01:00"; $0.departure = "2026-04-01T11:00:00+02:00";
                $0.price = eur(1500)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 1500); XCTAssertEqual($0.options, ["refund", "alternative_trip"])
        },
        .init(
            name: "cancelled with 300 EUR back from suppliers: the penalty is what they keep, the fee counted once", clause: "B.10.1",
            request: req("lastminute-sejour", "traveller_cancellation") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.price = eur(1500); $0.supplierRefund = eur(300);
                $0.refundableTaxes = eur(80)
            }
        ) {
            XCTAssertEqual(
                $0.charges,
                [
                    Charge(kind: "cancellation_penalty", amount: 1120, currency: "EUR", atLeast: false),
                    Charge(kind: "management_fee", amount: 50, currency: "EUR", atLeast: false)
                ])
            XCTAssertEqual($0.refund, eur(330))
        },
        .init(
            name: "modification exceptionally possible: 50 EUR", clause: "B.11.1",
            request: req("lastminute-sejour", "modification") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"
            }
        ) {
            XCTAssertFalse($0.allowed); XCTAssertEqual($0.charges.first?.amount, 50)
        },
        .init(
            name: "transfer exactly 7 days ahead: 30 + 70 EUR", clause: "B.12",
            request: req("lastminute-sejour", "transfer") {
                $0.eventDate = "2026-03-25"; $0.departure = "2026-04-01"
            }
        ) {
            XCTAssertTrue($0.allowed); XCTAssertEqual($0.charges.map(\.amount), [30, 70])
        },
        .init(
            name: "transfer 6 days ahead refused", clause: "B.12",
            request: req("lastminute-sejour", "transfer") {
                $0.eventDate = "2026-03-26"; $0.departure = "2026-04-01"
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "price up 5%, 20 days ahead", clause: "B.2.3.a",
            request: req("lastminute-sejour", "price_revision") {
                $0.eventDate = "2026-03-12"; $0.departure = "2026-04-01"; $0.increasePercent = 5; $0.price = eur(1000)
            }
        ) {
            XCTAssertTrue($0.allowed); XCTAssertEqual($0.options, ["accept"]); XCTAssertEqual($0.value, eur(1050))
        },
        .init(
            name: "price up 9%: free cancellation", clause: "B.2.3.c",
            request: req("lastminute-sejour", "price_revision") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.increasePercent = 9
            }
        ) {
            XCTAssertEqual($0.options, ["accept", "cancel_free"]);
            XCTAssertTrue($0.deadlines.contains(Deadline(kind: "cancel_free_by", date: "2026-03-12")))
        },
        .init(
            name: "price up 5%: no free cancellation, so no date for it", clause: "B.2.3.c",
            request: req("lastminute-sejour", "price_revision") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.increasePercent = 5
            }
        ) {
            XCTAssertEqual($0.options, ["accept"]); XCTAssertFalse($0.citations.contains("B.2.3.c")); XCTAssertTrue($0.deadlines.isEmpty)
        },
        .init(
            name: "price up 9% cites the free cancellation", clause: "B.2.3.c",
            request: req("lastminute-sejour", "price_revision") {
                $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.increasePercent = 9
            }
        ) {
            XCTAssertTrue($0.citations.contains("B.2.3.c"))
        },
        .init(
            name: "price revision 19 days ahead refused", clause: "B.2.3.b",
            request: req("lastminute-sejour", "price_revision") {
                $0.eventDate = "2026-03-13"; $0.departure = "2026-04-01"; $0.increasePercent = 5
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "complaint after return", clause: "A.5",
            request: req("lastminute-sejour", "complaint") {
                $0.returnDate = "2026-06-10"; $0.eventDate = "2026-06-12"
            }
        ) {
            XCTAssertEqual($0.deadlines, [Deadline(kind: "write_within", date: "2026-07-10"), Deadline(kind: "acknowledged_by", date: "2026-06-23")])
        },
        .init(
            name: "no-show: taxes only", clause: "B.10.1",
            request: req("lastminute-sejour", "no_show") {
                $0.eventDate = "2026-04-01"; $0.price = eur(1500); $0.refundableTaxes = eur(80)
            }
        ) {
            XCTAssertEqual($0.refund, eur(80))
        },
        // mnk-weopera (004)
        .init(
            name: "the issue's example: 19 days ahead, 100%", clause: "13.1.b",
            request: req("mnk-weopera", "traveller_cancellation") {
                $0.eventDate = "2026-02-10"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.charges, [Charge(kind: "cancellation_penalty", amount: 2000, currency: "EUR", atLeast: false)])
            XCTAssertEqual($0.refund, eur(0)); XCTAssertTrue($0.citations.contains("13.1.b"))
        },
        .init(
            name: "exactly 30 days ahead: 100%", clause: "13.1.b",
            request: req("mnk-weopera", "traveller_cancellation") {
                $0.eventDate = "2026-01-30"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.charges.first?.amount, 2000)
        },
        .init(
            name: "31 days ahead: at least 50%", clause: "13.1.a",
            request: req("mnk-weopera", "traveller_cancellation") {
                $0.eventDate = "2026-01-29"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.charges.first, Charge(kind: "cancellation_penalty", amount: 1000, currency: "EUR", atLeast: true))
        },
        .init(
            name: "organiser cancels more than 2 months ahead", clause: "14.2",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.eventDate = "2025-12-31"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertNil($0.indemnity); XCTAssertEqual($0.refund, eur(2000))
        },
        .init(
            name: "organiser cancels 20 days ahead", clause: "14.2.a",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.eventDate = "2026-02-09"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.indemnity, Indemnity(amount: 100, currency: "EUR", atLeast: true))
        },
        .init(
            name: "organiser cancels exactly 14 days ahead", clause: "14.2.b",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.eventDate = "2026-02-15"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 200)
        },
        .init(
            name: "organiser cancels 60 hours ahead: the silent gap", clause: "14.2.b/c",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.eventDate = "2026-02-26T22:00:00+01:00"; $0.departure = "2026-03-01T10:00:00+01:00"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 200); XCTAssertTrue($0.notes.contains { $0.contains("silent") })
        },
        .init(
            name: "organiser cancels 24 hours ahead", clause: "14.2.c",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.eventDate = "2026-02-28T10:00:00+01:00"; $0.departure = "2026-03-01T10:00:00+01:00"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 300)
        },
        .init(
            name: "too few participants notified 10 days ahead", clause: "14.3.a",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.reason = "too_few_participants"; $0.eventDate = "2026-02-19"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertNil($0.indemnity); XCTAssertEqual($0.refund, eur(2000))
        },
        .init(
            name: "too few participants notified 9 days ahead: the scale applies", clause: "14.3.a, 14.2.b",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.reason = "too_few_participants"; $0.eventDate = "2026-02-20"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.indemnity?.amount, 200)
        },
        .init(
            name: "too few participants notified 9 days ahead: the choices of 11.1 too", clause: "14.1, 11.1",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.reason = "too_few_participants"; $0.eventDate = "2026-02-20"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.options, ["refund", "alternative_trip"]); XCTAssertTrue($0.citations.contains("14.2.b"))
        },
        .init(
            name: "force majeure: no indemnity, the choices of 11.1 remain", clause: "14.3.b, 11.1",
            request: req("mnk-weopera", "organiser_cancellation") {
                $0.reason = "force_majeure"; $0.eventDate = "2026-02-27"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertNil($0.indemnity); XCTAssertEqual($0.options, ["refund", "alternative_trip"])
        },
        .init(
            name: "modification fee has a 20 EUR floor", clause: "9.1",
            request: req("mnk-weopera", "modification") {
                $0.eventDate = "2026-02-01"; $0.departure = "2026-03-01"; $0.price = eur(300)
            }
        ) {
            XCTAssertEqual($0.charges.first?.amount, 20)
        },
        .init(
            name: "transfer with 15 days' notice is free", clause: "12.2",
            request: req("mnk-weopera", "transfer") {
                $0.eventDate = "2026-02-14"; $0.departure = "2026-03-01"; $0.price = eur(1000)
            }
        ) {
            XCTAssertTrue($0.charges.isEmpty); XCTAssertTrue($0.allowed)
        },
        .init(
            name: "transfer with 14 days' notice: 5%", clause: "12.2",
            request: req("mnk-weopera", "transfer") {
                $0.eventDate = "2026-02-15"; $0.departure = "2026-03-01"; $0.price = eur(1000)
            }
        ) {
            XCTAssertEqual($0.charges.first?.amount, 50)
        },
        .init(
            name: "price up 16%, 21 days ahead: answer within 3 days", clause: "10.3",
            request: req("mnk-weopera", "price_revision") {
                $0.eventDate = "2026-02-08"; $0.departure = "2026-03-01"; $0.increasePercent = 16
            }
        ) {
            XCTAssertEqual($0.options, ["accept", "cancel_free"]); XCTAssertEqual($0.deadlines, [Deadline(kind: "answer_by", date: "2026-02-11")])
            XCTAssertTrue($0.notes.contains { $0.contains("termination") })
        },
        .init(
            name: "price revision exactly 20 days ahead refused", clause: "10.1",
            request: req("mnk-weopera", "price_revision") {
                $0.eventDate = "2026-02-09"; $0.departure = "2026-03-01"; $0.increasePercent = 5
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "MNK payment schedule", clause: "4.1, 4.2",
            request: req("mnk-weopera", "payment_schedule") {
                $0.bookingDate = "2026-01-10"; $0.departure = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual(
                $0.installments,
                [
                    Installment(dueDate: "2026-01-10", amount: 1000, currency: "EUR"),
                    Installment(dueDate: "2026-02-14", amount: 1000, currency: "EUR")
                ])
        },
        .init(
            name: "MNK no-show", clause: "15.1",
            request: req("mnk-weopera", "no_show") {
                $0.eventDate = "2026-03-01"; $0.price = eur(2000)
            }
        ) {
            XCTAssertEqual($0.refund, eur(0))
        },
        .init(
            name: "MNK complaint and legal action", clause: "29.2, 31.2",
            request: req("mnk-weopera", "complaint") {
                $0.eventDate = "2026-03-20"; $0.returnDate = "2026-03-10"
            }
        ) {
            XCTAssertEqual($0.deadlines, [Deadline(kind: "answered_by", date: "2026-04-19"), Deadline(kind: "legal_action_by", date: "2028-03-10")])
        },
        // onbusiness (001 from 15 October 2025, 003 before)
        .init(
            name: "claim exactly 4 months after travel", clause: "8.11.1",
            request: req("onbusiness", "points_claim") {
                $0.travelDate = "2026-01-10"; $0.eventDate = "2026-05-10"
            }
        ) {
            XCTAssertTrue($0.allowed); XCTAssertEqual($0.version, "bonus-regime-2025-10-15")
            XCTAssertEqual($0.deadlines, [Deadline(kind: "claim_by", date: "2026-05-10"), Deadline(kind: "credited_by", date: "2026-05-24")])
        },
        .init(
            name: "the crediting date cites its clause", clause: "8.12",
            request: req("onbusiness", "points_claim") {
                $0.travelDate = "2026-01-10"; $0.eventDate = "2026-02-10"
            }
        ) {
            XCTAssertEqual($0.citations, ["8.11.1", "8.14", "8.12"])
        },
        .init(
            name: "claim a day late", clause: "8.11.1",
            request: req("onbusiness", "points_claim") {
                $0.travelDate = "2026-01-10"; $0.eventDate = "2026-05-11"
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "travel before 15 October 2025: the points regime", clause: "003 8.11.1",
            request: req("onbusiness", "points_claim") {
                $0.travelDate = "2025-10-14"; $0.eventDate = "2025-12-01"
            }
        ) {
            XCTAssertEqual($0.version, "points-regime"); XCTAssertTrue($0.allowed)
        },
        .init(
            name: "Bonus balance expires 18 months after its last increase", clause: "8.4",
            request: req("onbusiness", "balance_expiry") { $0.lastIncreaseDate = "2026-01-15" }
        ) {
            XCTAssertEqual($0.deadlines.first, Deadline(kind: "balance_expires", date: "2027-07-15"))
        },
        .init(
            name: "points of 2015 expire on 31 December 2017", clause: "003 8.4",
            request: req("onbusiness", "balance_expiry") { $0.issueDate = "2015-06-01" }
        ) {
            XCTAssertEqual($0.deadlines.first, Deadline(kind: "points_expire", date: "2017-12-31"))
        },
        .init(
            name: "new account converts by tranches of 50", clause: "8.10",
            request: req("onbusiness", "bonus_conversion") {
                $0.eventDate = "2026-02-01"; $0.amount = 120; $0.newAccount = true
            }
        ) {
            XCTAssertEqual($0.value, eur(100))
        },
        .init(
            name: "other accounts convert by tranches of 5", clause: "8.10",
            request: req("onbusiness", "bonus_conversion") {
                $0.eventDate = "2026-02-01"; $0.amount = 7; $0.newAccount = false
            }
        ) {
            XCTAssertEqual($0.value, eur(5))
        },
        .init(
            name: "no conversion under the points regime", clause: "003 8.10",
            request: req("onbusiness", "bonus_conversion") {
                $0.eventDate = "2025-01-01"; $0.amount = 120
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "an 11-year-old earns nothing", clause: "7.4",
            request: req("onbusiness", "earning_eligibility") {
                $0.eventDate = "2026-02-01"; $0.passengerAge = 11
            }
        ) {
            XCTAssertFalse($0.allowed)
        },
        .init(
            name: "a 12-year-old earns", clause: "7.4",
            request: req("onbusiness", "earning_eligibility") {
                $0.eventDate = "2026-02-01"; $0.passengerAge = 12
            }
        ) {
            XCTAssertTrue($0.allowed)
        }
    ]

    func testVectors() throws {
        XCTAssertGreaterThanOrEqual(Self.vectors.count, 40)
        for v in Self.vectors {
            let result: ConditionsAssessment
            do { result = try Self.engine.assess(v.request) } catch {
                XCTFail("\(v.name) [\(v.clause)]: \(error)"); continue
            }
            XCTAssertFalse(result.citations.isEmpty, v.name)
            v.check(result)
        }
    }

    func testShippedPacks() throws {
        XCTAssertEqual(Set(Self.engine.packs.keys), ["onspot-cgv", "lastminute-sejour", "mnk-weopera", "onbusiness"])
        let events = Set(Self.engine.packs.values.flatMap { $0.versions.flatMap { $0.events.keys } })
        XCTAssertEqual(
            events,
            [
                "registration", "service_start", "service_cancellation", "service_payment", "payment_schedule",
                "traveller_cancellation", "organiser_cancellation", "modification", "transfer", "price_revision",
                "complaint", "no_show", "points_claim", "balance_expiry", "bonus_conversion", "earning_eligibility"
            ])
    }

    func testBadPacksAreRejectedWithFileLineAndField() {
        let broken = """
            id: my-supplier
            title: A supplier
            currency: EUR
            versions:
              - version: "1"
                effectiveFrom: 2026-01-01
                events:
                  traveller_cancellation:
                    rule: steps_on_price
                    kind: cancellation_penalty
                    steps:
                      - moreThan: {days: thirty}
                        percent: 50
            """
        XCTAssertThrowsError(try RulePackLoader.load(yaml: broken, file: "my-supplier.yaml")) { error in
            XCTAssertEqual(
                String(describing: error),
                "my-supplier.yaml:12: versions[0].events.traveller_cancellation.steps[0].moreThan.days: expected a whole number")
        }
        let unknownRule = broken.replacingOccurrences(of: "rule: steps_on_price", with: "rule: magic")
        XCTAssertThrowsError(try RulePackLoader.load(yaml: unknownRule, file: "x.yaml")) { error in
            XCTAssertEqual(String(describing: error), "x.yaml:9: versions[0].events.traveller_cancellation.rule: unknown rule 'magic'")
        }
        let badPercent = broken.replacingOccurrences(of: "{days: thirty}", with: "{days: 30}").replacingOccurrences(
            of: "percent: 50", with: "percent: 150")
        XCTAssertThrowsError(try RulePackLoader.load(yaml: badPercent, file: "x.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("x.yaml:13: versions[0].events.traveller_cancellation.steps[0].percent"), "\(error)")
        }
        XCTAssertThrowsError(try RulePackLoader.load(yaml: "id: x\n  bad: [indent", file: "y.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("y.yaml:"), "\(error)")
        }
        let noVersions = "id: ok-pack\ntitle: T\ncurrency: EUR\n"
        XCTAssertThrowsError(try RulePackLoader.load(yaml: noVersions, file: "z.yaml")) { error in
            XCTAssertEqual(String(describing: error), "z.yaml:1: .versions: missing")
        }
        let good = broken.replacingOccurrences(of: "{days: thirty}", with: "{days: 30}")
        XCTAssertNoThrow(try RulePackLoader.load(yaml: good, file: "x.yaml"))
    }

    func testRequestErrors() {
        XCTAssertThrowsError(try Self.engine.assess(req("nope", "x") { _ in })) { error in
            guard case ConditionsError.unknownPack = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Self.engine.assess(req("mnk-weopera", "teleport") { $0.eventDate = "2026-01-01" })) { error in
            guard case ConditionsError.unknownEvent = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Self.engine.assess(req("mnk-weopera", "traveller_cancellation") { $0.eventDate = "01/02/2026" })) { error in
            guard case ConditionsError.invalid(let errors) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(errors.map(\.field), ["eventDate"])
        }
        XCTAssertThrowsError(
            try Self.engine.assess(
                req("mnk-weopera", "traveller_cancellation") {
                    $0.eventDate = "2026-01-01"; $0.departure = "2026-03-01"; $0.price = Amount(10, "USD")
                }))
        XCTAssertThrowsError(
            try Self.engine.assess(
                req("lastminute-sejour", "organiser_cancellation") {
                    $0.eventDate = "2026-01-01"; $0.departure = "2026-03-01"; $0.price = eur(10); $0.reason = "aliens"
                })
        ) { error in
            guard case ConditionsError.invalid(let errors) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(errors.map(\.field), ["reason"])
        }
    }
}
