import Crypto
import Foundation
import NIOConcurrencyHelpers
@testable import OnSpotServer
import Vapor
import XCTVapor

/// A local HTTP server that speaks Stripe's PaymentIntents and Refunds API: form-encoded POSTs with a bearer secret
/// key and an Idempotency-Key (the same key answers the same response, as Stripe does), test payment methods that
/// succeed or decline in Stripe's error format, and scripted outages.
final class StripeStandIn: @unchecked Sendable {
    struct Recorded: Sendable {
        let path: String
        let authorization: String?
        let idempotencyKey: String?
        let form: [String: String]
    }

    let app: Application
    private let state = NIOLockedValueBox<
        (
            requests: [Recorded], answers: [String: (Int, String)], counter: Int, outages: Int, amounts: [String: Int], refunded: [String: Int],
            refusals: Int
        )
    >(([], [:], 0, 0, [:], [:], 0))
    private(set) var port = 0
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [Recorded] { state.withLockedValue { $0.requests } }
    static let secretKey = "sk_test_standin"

    init() async throws {
        app = try await Application.make(.testing)
        app.on(.POST, "v1", "**", body: .collect(maxSize: "64kb")) { [state] req -> Response in
            let body = req.body.string ?? ""
            var form: [String: String] = [:]
            for pair in body.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                form[kv[0]] = kv.count > 1 ? kv[1] : ""
            }
            let key = req.headers.first(name: "Idempotency-Key")
            let recorded = Recorded(path: req.url.path, authorization: req.headers.first(name: .authorization), idempotencyKey: key, form: form)
            let (status, json) = state.withLockedValue { s -> (Int, String) in
                s.requests.append(recorded)
                if s.outages > 0 { s.outages -= 1; return (500, #"{"error":{"type":"api_error","message":"stand-in outage"}}"#) }
                guard req.headers.bearerAuthorization?.token == StripeStandIn.secretKey else {
                    return (401, #"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}"#)
                }
                guard req.headers.contentType == .urlEncodedForm else {
                    return (400, #"{"error":{"type":"invalid_request_error","message":"form encoding expected"}}"#)
                }
                if let key, let earlier = s.answers[req.url.path + key] { return earlier }
                s.counter += 1
                let answer: (Int, String)
                if req.url.path == "/v1/payment_intents" {
                    let id = "pi_standin\(s.counter)"
                    let metadata = form.filter { $0.key.hasPrefix("metadata[") }
                        .map { "\"\($0.key.dropFirst(9).dropLast())\":\"\($0.value)\"" }.joined(separator: ",")
                    switch form["payment_method"] {
                    case "pm_card_chargeDeclined":
                        answer = (
                            402,
                            #"{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined.","payment_intent":{"id":"\#(id)","object":"payment_intent","status":"requires_payment_method"}}}"#
                        )
                    case "pm_card_threeDSecureRequired":
                        answer = (
                            200,
                            #"{"id":"\#(id)","object":"payment_intent","amount":\#(form["amount"] ?? "0"),"currency":"\#(form["currency"] ?? "")","status":"requires_action","metadata":{\#(metadata)}}"#
                        )
                    default:
                        s.amounts[id] = Int(form["amount"] ?? "") ?? 0
                        answer = (
                            200,
                            #"{"id":"\#(id)","object":"payment_intent","amount":\#(form["amount"] ?? "0"),"currency":"\#(form["currency"] ?? "")","status":"succeeded","latest_charge":"ch_\#(s.counter)","metadata":{\#(metadata)}}"#
                        )
                    }
                } else if req.url.path == "/v1/refunds" {
                    // As Stripe: several partial refunds per payment, never more in all than was charged.
                    let intent = form["payment_intent"] ?? ""
                    let charged = s.amounts[intent] ?? 0
                    let already = s.refunded[intent] ?? 0
                    let amount = form["amount"].flatMap { Int($0) } ?? (charged - already)
                    if s.refusals > 0 {
                        // A refusal Stripe answers at once (and, as Stripe, replays to the same idempotency key).
                        s.refusals -= 1
                        answer = (
                            400,
                            #"{"error":{"type":"invalid_request_error","code":"charge_disputed","message":"Charge ch_x has been charged back; cannot issue a refund."}}"#
                        )
                    } else if charged == 0 {
                        answer = (
                            404,
                            #"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent: '\#(intent)'"}}"#
                        )
                    } else if already >= charged {
                        answer = (
                            400,
                            #"{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge ch_x has already been refunded."}}"#
                        )
                    } else if amount <= 0 || amount > charged - already {
                        answer = (
                            400,
                            #"{"error":{"type":"invalid_request_error","code":"amount_too_large","message":"Refund amount (\#(amount)) is greater than unrefunded amount on charge (\#(charged - already))"}}"#
                        )
                    } else {
                        s.refunded[intent] = already + amount
                        answer = (
                            200,
                            #"{"id":"re_standin\#(s.counter)","object":"refund","amount":\#(amount),"payment_intent":"\#(intent)","status":"succeeded"}"#
                        )
                    }
                } else {
                    answer = (404, #"{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}"#)
                }
                if let key { s.answers[req.url.path + key] = answer }
                return answer
            }
            let response = Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: json))
            response.headers.contentType = .json
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    /// What was refunded in all on a payment intent.
    func refunded(_ intent: String) -> Int { state.withLockedValue { $0.refunded[intent] ?? 0 } }

    func outage(_ count: Int) { state.withLockedValue { $0.outages = count } }

    /// The next `count` refunds are refused with a 400, as Stripe refuses a refund on a disputed charge.
    func refuseRefunds(_ count: Int) { state.withLockedValue { $0.refusals = count } }

    /// A Stripe event as Stripe posts it, with its `Stripe-Signature` header.
    static func event(id: String, type: String, object: [String: Any], secret: String, at time: Date = Date()) -> (body: Data, signature: String) {
        let body = try! JSONSerialization.data(withJSONObject: [
            "id": id, "object": "event", "type": type, "api_version": "2024-06-20",
            "created": Int(time.timeIntervalSince1970), "livemode": false,
            "data": ["object": object]
        ])
        let t = Int(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(t).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return (body, "t=\(t),v1=\(mac.map { String(format: "%02x", $0) }.joined())")
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// A server test with the Stripe stand-in started and the server pointed at it.
class StripeServerTestCase: ServerTestCase {
    var stripe: StripeStandIn!
    static let webhookSecret = "whsec_standin_secret"

    override func setUp() async throws {
        try await super.setUp()
        stripe = try await StripeStandIn()
        app.onspot.stripeBaseURL = stripe.baseURL
        app.onspot.stripeSecretKey = StripeStandIn.secretKey
        app.onspot.stripeWebhookSecret = Self.webhookSecret
    }

    override func tearDown() async throws {
        try await stripe.stop()
        try await super.tearDown()
    }
}
