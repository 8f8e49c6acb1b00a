import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
    import Glibc
#endif

/// A local SMTP server speaking the protocol line by line (RFC 5321), recording each message it accepts.
final class SMTPStandIn: @unchecked Sendable {
    struct Received: Sendable { let from: String; let to: [String]; let data: String }

    private let received = NIOLockedValueBox<[Received]>([])
    private let socketFD: Int32
    let port: Int

    var messages: [Received] { received.withLockedValue { $0 } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 8)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        socketFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let box = received
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Self.serve(client, into: box)
                close(client)
            }
        }
    }

    static func serve(_ fd: Int32, into box: NIOLockedValueBox<[Received]>) {
        func write(_ s: String) { _ = s.withCString { Glibc.write(fd, $0, strlen($0)) } }
        var buffer = ""
        func readLine() -> String? {
            while !buffer.contains("\r\n") {
                var bytes = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &bytes, 4096)
                if n <= 0 { return nil }
                buffer += String(decoding: bytes[0..<n], as: UTF8.self)
            }
            let r = buffer.range(of: "\r\n")!
            let line = String(buffer[..<r.lowerBound])
            buffer = String(buffer[r.upperBound...])
            return line
        }
        write("220 standin.local ESMTP\r\n")
        var from = "", to: [String] = []
        while let line = readLine() {
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") || upper.hasPrefix("HELO") {
                write("250-standin.local\r\n250 8BITMIME\r\n")
            } else if upper.hasPrefix("MAIL FROM:") {
                from = String(line.dropFirst(10)); write("250 OK\r\n")
            } else if upper.hasPrefix("RCPT TO:") {
                to.append(String(line.dropFirst(8))); write("250 OK\r\n")
            } else if upper == "DATA" {
                write("354 End data with <CR><LF>.<CR><LF>\r\n")
                var data: [String] = []
                while let l = readLine(), l != "." { data.append(l.hasPrefix("..") ? String(l.dropFirst()) : l) }
                let message = Received(from: from, to: to, data: data.joined(separator: "\r\n"))
                box.withLockedValue { $0.append(message) }
                write("250 OK queued\r\n")
            } else if upper == "QUIT" {
                write("221 Bye\r\n"); return
            } else {
                write("502 Command not implemented\r\n")
            }
        }
    }

    func stop() { shutdown(socketFD, Int32(SHUT_RDWR)); close(socketFD) }

    /// The decoded subject and body of a message (base64 UTF-8, as OnSpot sends them).
    static func decode(_ data: String) -> (subject: String, body: String) {
        let parts = data.components(separatedBy: "\r\n\r\n")
        let headers = parts.first ?? ""
        var subject = headers.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        if subject.hasPrefix("=?UTF-8?B?"), subject.hasSuffix("?=") {
            subject = String(decoding: Data(base64Encoded: String(subject.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }
        let body = String(
            decoding: Data(base64Encoded: parts.dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")) ?? Data(), as: UTF8.self)
        return (subject, body)
    }
}
