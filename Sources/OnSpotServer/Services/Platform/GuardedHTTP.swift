import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OnSpotCore
import Vapor
#if canImport(Glibc)
    import Glibc
#endif

/// Outgoing HTTP to URLs that others choose (agencies' webhook endpoints, Messenger attachment URLs). Every hop is
/// resolved first and refused when any address it resolves to is loopback, private, link-local (cloud metadata),
/// multicast or reserved; the connection is then pinned to the address that was checked (no second lookup to rebind),
/// redirects are followed by hand with the same checks (never from https to http), connect and read time out, and
/// the body is read in pieces and abandoned past the size limit.
struct GuardedHTTP: Sendable {
    struct Refused: Error, CustomStringConvertible { let description: String }

    struct Result: Sendable {
        let status: Int
        let body: Data
        let contentType: String?
        /// The answer's headers (validators for conditional requests, Location).
        var headers: HTTPHeaders = [:]
    }

    var allowLoopback: Bool
    var connectTimeout: TimeAmount = .seconds(5)
    /// From the request to the last byte of the answer: a receiver that drips its answer a byte at a time is cut off.
    var totalTimeout: TimeAmount = .seconds(15)
    var readTimeout: TimeAmount = .seconds(5)
    var maximumRedirects = 3
    let eventLoopGroup: any EventLoopGroup
    let threadPool: NIOThreadPool

    init(app: Application) {
        allowLoopback = app.onspot.allowLoopbackOutgoing
        eventLoopGroup = app.eventLoopGroup
        threadPool = app.threadPool
    }

    func send(method: HTTPMethod, url: String, headers: HTTPHeaders = [:], body: Data? = nil, maximumBytes: Int) async throws -> Result {
        var headers = headers
        var current = url
        var method = method
        var body = body
        for _ in 0...maximumRedirects {
            guard let target = URL(string: current), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
                let host = target.host, !host.isEmpty
            else {
                throw Refused(description: "not an absolute http(s) URL")
            }
            let address = try await checkedAddress(host: host, port: target.port ?? (scheme == "https" ? 443 : 80))
            let result = try await once(
                method: method, url: current, host: host, address: address, headers: headers, body: body,
                maximumBytes: maximumBytes)
            guard (301...308).contains(result.status.code), result.status.code != 304,
                let location = result.location, let next = URL(string: location, relativeTo: target)?.absoluteURL
            else {
                return Result(status: Int(result.status.code), body: result.body, contentType: result.contentType, headers: result.headers)
            }
            if scheme == "https" && next.scheme?.lowercased() != "https" { throw Refused(description: "redirect from https to http refused") }
            if [301, 302, 303].contains(result.status.code) && method != .GET {
                method = .GET
                body = nil
                headers.remove(name: .contentType)
                headers.remove(name: .contentLength)
            }
            // Credentials and signatures are for the host they were meant for, never for the one a redirect names.
            if next.host?.lowercased() != host.lowercased() || next.port != target.port || next.scheme?.lowercased() != scheme {
                for name in ["Authorization", "Cookie", "Proxy-Authorization", "OnSpot-Signature", "OnSpot-Timestamp", "OnSpot-Delivery"] {
                    headers.remove(name: name)
                }
            }
            current = next.absoluteString
        }
        throw Refused(description: "more than \(maximumRedirects) redirects")
    }

    /// Resolves the host and refuses it if any of its addresses is forbidden: a name with one public and one private
    /// address would otherwise be a coin toss.
    func checkedAddress(host: String, port: Int) async throws -> IPAddress {
        let bare = host.trimmingCharacters(in: ["[", "]"])
        let addresses: [IPAddress]
        if let literal = IPAddress(bare) {
            addresses = [literal]
        } else {
            addresses = try await threadPool.runIfActive { Self.resolve(bare, port: port) }
        }
        guard let first = addresses.first else { throw Refused(description: "\(bare) does not resolve") }
        if let forbidden = addresses.first(where: { $0.isForbiddenDestination(allowingLoopback: allowLoopback) }) {
            throw Refused(description: "\(bare) resolves to \(forbidden), a private or reserved address")
        }
        return first
    }

    static func resolve(_ host: String, port: Int) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let head = list else { return [] }
        defer { freeaddrinfo(head) }
        var out: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = head
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let sa = info.pointee.ai_addr,
                getnameinfo(sa, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0,
                let address = IPAddress(String(cString: buffer))
            {
                out.append(address)
            }
            cursor = info.pointee.ai_next
        }
        return out
    }

    private struct Hop { let status: HTTPResponseStatus; let body: Data; let contentType: String?; let location: String?; let headers: HTTPHeaders }

    private func once(
        method: HTTPMethod, url: String, host: String, address: IPAddress, headers: HTTPHeaders, body: Data?,
        maximumBytes: Int
    ) async throws -> Hop {
        let deadline = NIODeadline.now() + totalTimeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: readTimeout))
        // The checked address, not a second lookup: TLS still verifies the certificate for the host name.
        configuration.dnsOverride = [host: address.description]
        let client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        do {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers = headers
            if let body { request.body = .bytes(ByteBuffer(data: body)) }
            let response = try await client.execute(request, deadline: deadline)
            if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > maximumBytes {
                throw Refused(description: "response of \(declared) bytes is larger than \(maximumBytes)")
            }
            var collected = Data()
            for try await piece in response.body {
                guard collected.count + piece.readableBytes <= maximumBytes else {
                    throw Refused(description: "response larger than \(maximumBytes) bytes")
                }
                guard NIODeadline.now() < deadline else {
                    throw Refused(description: "response not complete within \(totalTimeout.nanoseconds / 1_000_000_000) s")
                }
                collected.append(contentsOf: piece.readableBytesView)
            }
            try await client.shutdown()
            return Hop(
                status: response.status, body: collected, contentType: response.headers.first(name: "Content-Type"),
                location: response.headers.first(name: "Location"), headers: response.headers)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
