import Foundation
import OnSpotCore
import Vapor

/// How card payments and refunds reach the payment provider. `StripeGateway` speaks Stripe's PaymentIntents API over
/// HTTP (tests run it against a stand-in server that speaks the same format); `DevelopmentGateway` takes test cards
/// locally for the demo and development, and is refused in production.
protocol PaymentGateway: Sendable {
    var provider: PaymentProvider { get }
    func charge(_ request: ChargeRequest) async throws -> ChargeOutcome
    func refund(paymentReference: String, amountMinor: Int64, idempotencyKey: String, metadata: [String: String]) async throws -> RefundOutcome
}

struct ChargeRequest: Sendable {
    var amount: Money
    var description: String
    /// A payment method token from the provider's card form ("pm_…"); Stripe's test tokens in development.
    var paymentMethod: String
    var idempotencyKey: String
    var metadata: [String: String]
}

enum ChargeOutcome: Equatable, Sendable {
    case succeeded(reference: String)
    /// Confirmed but not final (an authentication step, a bank that answers later): the webhook settles it.
    case processing(reference: String)
    case declined(reference: String?, message: String)
}

struct RefundOutcome: Equatable, Sendable {
    var reference: String
    /// "succeeded", "pending" or "failed", as the provider says.
    var status: RefundStatus
}

enum GatewayError: Error, Equatable, CustomStringConvertible {
    /// The provider refused the request itself (bad parameters, an idempotency key reused with other parameters).
    case refused(String)
    /// The provider could not be reached or failed: nothing is known to have happened; the same key may be retried.
    case unavailable(String)

    var description: String {
        switch self {
        case .refused(let m): "payment provider refused the request: \(m)"
        case .unavailable(let m): "payment provider unavailable: \(m)"
        }
    }
}

struct StripeGateway: PaymentGateway {
    let client: any Client
    let baseURL: String
    let secretKey: String
    var provider: PaymentProvider { .stripe }

    /// Stripe's form encoding: `metadata[trip_id]=…`, percent-encoded with `+`-free spaces.
    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    func post(_ path: String, _ pairs: [(String, String)], idempotencyKey: String) async throws -> (Int, [String: Any]) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: secretKey)
        headers.replaceOrAdd(name: "Idempotency-Key", value: idempotencyKey)
        headers.contentType = .urlEncodedForm
        let body = Self.formEncode(pairs)
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: baseURL + path), headers: headers) { $0.body = ByteBuffer(string: body) }
        } catch {
            throw GatewayError.unavailable(String(describing: error))
        }
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let status = Int(response.status.code)
        if status >= 500 || status == 429 { throw GatewayError.unavailable("HTTP \(status)") }
        return (status, json)
    }

    func charge(_ request: ChargeRequest) async throws -> ChargeOutcome {
        var pairs: [(String, String)] = [
            ("amount", String(request.amount.minorUnits)), ("currency", request.amount.currency.rawValue.lowercased()),
            ("confirm", "true"), ("payment_method", request.paymentMethod), ("description", request.description),
            // Server-side confirmation without a redirect: cards that need one come back as requires_action.
            ("automatic_payment_methods[enabled]", "true"), ("automatic_payment_methods[allow_redirects]", "never")
        ]
        for (key, value) in request.metadata.sorted(by: { $0.key < $1.key }) { pairs.append(("metadata[\(key)]", value)) }
        let (status, json) = try await post("/v1/payment_intents", pairs, idempotencyKey: request.idempotencyKey)
        if status == 200, let id = json["id"] as? String {
            switch json["status"] as? String {
            case "succeeded": return .succeeded(reference: id)
            case "requires_payment_method", "canceled":
                let message = (json["last_payment_error"] as? [String: Any])?["message"] as? String ?? "card refused"
                return .declined(reference: id, message: message)
            default: return .processing(reference: id)
            }
        }
        let error = json["error"] as? [String: Any] ?? [:]
        let message = error["message"] as? String ?? "HTTP \(status)"
        if status == 402 || error["type"] as? String == "card_error" {
            return .declined(reference: (error["payment_intent"] as? [String: Any])?["id"] as? String, message: message)
        }
        throw GatewayError.refused(message)
    }

    func refund(paymentReference: String, amountMinor: Int64, idempotencyKey: String, metadata: [String: String]) async throws -> RefundOutcome {
        var pairs: [(String, String)] = [("payment_intent", paymentReference), ("amount", String(amountMinor))]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { pairs.append(("metadata[\(key)]", value)) }
        let (status, json) = try await post("/v1/refunds", pairs, idempotencyKey: idempotencyKey)
        guard status == 200, let id = json["id"] as? String else {
            throw GatewayError.refused((json["error"] as? [String: Any])?["message"] as? String ?? "HTTP \(status)")
        }
        return RefundOutcome(reference: id, status: (json["status"] as? String).flatMap(RefundStatus.init(rawValue:)) ?? .pending)
    }
}

/// The demo's gateway: Stripe's test tokens behave as on Stripe's test mode, without a network.
struct DevelopmentGateway: PaymentGateway {
    var provider: PaymentProvider { .development }
    static let declinedTokens: Set<String> = ["pm_card_chargeDeclined", "pm_card_visa_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds"]

    func charge(_ request: ChargeRequest) async throws -> ChargeOutcome {
        let reference = "dev_pi_" + request.idempotencyKey.replacingOccurrences(of: "-", with: "").prefix(24)
        if Self.declinedTokens.contains(request.paymentMethod) { return .declined(reference: reference, message: "Your card was declined.") }
        return .succeeded(reference: reference)
    }

    func refund(paymentReference: String, amountMinor: Int64, idempotencyKey: String, metadata: [String: String]) async throws -> RefundOutcome {
        RefundOutcome(reference: "dev_re_" + idempotencyKey.replacingOccurrences(of: "-", with: "").prefix(24), status: .succeeded)
    }
}

struct PaymentGatewayKey: StorageKey { typealias Value = any PaymentGateway }

extension Application {
    /// Stripe when a secret key is configured, else the development gateway (refused in production by the configuration).
    var payments: any PaymentGateway {
        get {
            if let set = storage[PaymentGatewayKey.self] { return set }
            if let key = onspot.stripeSecretKey { return StripeGateway(client: client, baseURL: onspot.stripeBaseURL, secretKey: key) }
            return DevelopmentGateway()
        }
        set { storage[PaymentGatewayKey.self] = newValue }
    }

    var billingCalendar: BillingCalendar {
        BillingCalendar(zone: TimeZones.named(onspot.billingTimeZone) ?? TimeZone(identifier: "Europe/Paris")!)
    }
}
