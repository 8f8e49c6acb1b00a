import Foundation

/// An IPv4 or IPv6 address as bytes, parsed without Foundation or the C resolver, with the classifications the server
/// needs: which client address to trust behind a proxy, and which addresses an outgoing request may never reach.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: [" ", "[", "]"]))
        if let zone = s.firstIndex(of: "%") { s = s[..<zone] }
        if let v4 = Self.parseV4(s) { bytes = v4 } else if let v6 = Self.parseV6(s) { bytes = v6 } else { return nil }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isV4: Bool { bytes.count == 4 }

    /// `::ffff:a.b.c.d` (and the deprecated `::a.b.c.d`) are IPv4 addresses in disguise.
    public var unmappedV4: IPAddress? {
        if isV4 { return self }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return IPAddress(bytes: Array(bytes[12...])) }
        return nil
    }

    public var description: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    /// True for addresses a server-side request to a URL someone else chose must never reach: loopback, private,
    /// carrier-grade NAT, link-local (cloud metadata at 169.254.169.254 among them), multicast, unspecified,
    /// reserved and documentation ranges, unique-local and site-local IPv6, and IPv4 embedded in IPv6 of those.
    public var isForbiddenDestination: Bool {
        if let v4 = unmappedV4 { return Self.forbiddenV4.contains { $0.contains(v4) } }
        return Self.forbiddenV6.contains { $0.contains(self) }
            || (bytes[0] == 0x20 && bytes[1] == 0x02 && IPAddress(bytes: Array(bytes[2..<6])).isForbiddenDestination)  // 6to4
            // NAT64
            || (bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] && IPAddress(bytes: Array(bytes[12...])).isForbiddenDestination)
    }

    /// 127.0.0.0/8 (also mapped into IPv6) and ::1.
    public var isLoopback: Bool {
        if let v4 = unmappedV4 { return v4.bytes[0] == 127 }
        return bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// Forbidden, unless it is loopback and loopback is allowed (local stand-ins in tests and development).
    public func isForbiddenDestination(allowingLoopback: Bool) -> Bool {
        isForbiddenDestination && !(allowingLoopback && isLoopback)
    }

    static let forbiddenV4: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"
    ].compactMap(CIDR.init)
    static let forbiddenV6: [CIDR] = [
        "::/128", "::1/128", "::/96", "100::/64", "2001::/32", "2001:db8::/32", "64:ff9b:1::/48", "fc00::/7", "fe80::/10", "fec0::/10",
        "ff00::/8"
    ].compactMap(CIDR.init)

    private static func parseV4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt8(part) else { return nil }
            out.append(n)
        }
        return out
    }

    private static func parseV6(_ s: Substring) -> [UInt8]? {
        guard s.contains(":"), s.count <= 45 else { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ text: String) -> [UInt8]? {
            guard !text.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, piece.contains("."), let v4 = parseV4(piece) { out += v4; continue }
                guard (1...4).contains(piece.count), let n = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(n >> 8), UInt8(n & 0xFF)]
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

/// An address range such as `10.0.0.0/8` or `fd00::/8`.
public struct CIDR: Sendable, Hashable {
    public let network: IPAddress
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...bits).contains(p) else { return nil }
            prefix = p
        } else {
            prefix = bits
        }
        network = address
    }

    public func contains(_ address: IPAddress) -> Bool {
        let candidate = (network.isV4 ? address.unmappedV4 : address) ?? address
        guard candidate.bytes.count == network.bytes.count else { return false }
        var remaining = prefix
        for i in 0..<network.bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if candidate.bytes[i] & mask != network.bytes[i] & mask { return false }
            remaining -= take
        }
        return true
    }
}

/// The address of the client behind reverse proxies: `X-Forwarded-For` is read only when the peer is a trusted proxy,
/// from the right, skipping trusted hops, so a client cannot choose the address its sign-in attempts are counted under.
public enum ClientAddress {
    public static func resolve(peer: String?, forwardedFor: String?, trusted: [CIDR]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer ?? "unknown" }
        guard trusted.contains(where: { $0.contains(peerAddress) }), let forwardedFor else { return peerAddress.description }
        var hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        while let last = hops.popLast() {
            guard let address = IPAddress(last) else { return peerAddress.description }
            if !trusted.contains(where: { $0.contains(address) }) { return address.description }
        }
        return peerAddress.description
    }
}
