import Foundation
import NIOCore
import NIOPosix
import Vapor

/// A plain SMTP client (RFC 5321) for a relay on the same network: EHLO, MAIL FROM, RCPT TO, DATA, QUIT.
/// The body is UTF-8 in base64 and the subject RFC 2047-encoded, so any relay accepts French and Portuguese text.
/// TLS and AUTH are left to the relay in front of it (a local MTA or a sidecar).
struct SMTPTransport: MailTransport {
    let host: String
    let port: Int
    let from: String
    let group: any EventLoopGroup

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func deliver(_ mail: OutgoingMail, logger: Logger) async throws {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            var pending = ""
            /// Reads one reply, following "250-" continuation lines, and checks its code.
            func expect(_ codes: Set<Int>) async throws {
                while true {
                    while !pending.contains("\r\n") {
                        guard let buffer = try await lines.next() else { throw Failure(description: "SMTP connection closed") }
                        pending += String(buffer: buffer)
                    }
                    let range = pending.range(of: "\r\n")!
                    let line = String(pending[..<range.lowerBound])
                    pending = String(pending[range.upperBound...])
                    guard line.count >= 3, let code = Int(line.prefix(3)) else {
                        throw Failure(description: "SMTP: unreadable reply '\(line.prefix(80))'")
                    }
                    if line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                    guard codes.contains(code) else { throw Failure(description: "SMTP refused: \(line.prefix(200))") }
                    return
                }
            }
            func send(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text)) }

            try await expect([220])
            try await send("EHLO onspot.local\r\n")
            try await expect([250])
            try await send("MAIL FROM:<\(from)>\r\n")
            try await expect([250])
            try await send("RCPT TO:<\(mail.to)>\r\n")
            try await expect([250, 251])
            try await send("DATA\r\n")
            try await expect([354])
            try await send(Self.message(mail, from: from, date: AppClock.now))
            try await expect([250])
            try await send("QUIT\r\n")
            try? await expect([221])
        }
    }

    static func message(_ mail: OutgoingMail, from: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?\(Data(mail.subject.utf8).base64EncodedString())?="
        let body = Data(mail.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: OnSpot Connect <\(from)>",
            "To: <\(mail.to)>",
            "Subject: \(subject)",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@onspot.local>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64"
        ]
        // Base64 never starts a line with a dot, so no dot-stuffing is needed; the terminator ends DATA.
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n.\r\n"
    }
}
