import Fluent
import NIOConcurrencyHelpers
import OnSpotCore
import Vapor

/// The channel secrets, read at most every few seconds rather than on every webhook.
final class SecretsCache: Sendable {
    private let entries = NIOLockedValueBox<[MessagingChannel: (secrets: [String], until: Date)]>([:])

    func secrets(for channel: MessagingChannel, on db: any Database, ttl: TimeInterval = 5) async throws -> [String] {
        if let hit = entries.withLockedValue({ $0[channel] }), hit.until > AppClock.now { return hit.secrets }
        let secrets = Array(Set(try await ChannelEndpoint.query(on: db).filter(\.$channel == channel).filter(\.$active == true).all(\.$appSecret)))
        entries.withLockedValue { $0[channel] = (secrets, AppClock.now.addingTimeInterval(ttl)) }
        return secrets
    }

    func clear() { entries.withLockedValue { $0 = [:] } }
}

struct SecretsCacheKey: StorageKey { typealias Value = SecretsCache }

extension Application {
    var channelSecrets: SecretsCache {
        if let cache = storage[SecretsCacheKey.self] { return cache }
        let cache = SecretsCache()
        storage[SecretsCacheKey.self] = cache
        return cache
    }
}
