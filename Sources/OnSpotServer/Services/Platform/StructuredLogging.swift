import ConsoleKit
import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// The request a piece of work started from, carried as a task-local value: the work a request starts in the
/// background (a reply sent at once, an agency webhook, a processing run) inherits it, so every log line of that work
/// names the request, in the text format as in JSON.
public enum RequestContext {
    @TaskLocal public static var requestID: String?

    public static let metadataProvider = Logger.MetadataProvider {
        guard let id = requestID else { return [:] }
        return ["request-id": .string(id)]
    }

    /// The load balancer's id (`X-Request-Id`) when it sent a plausible one, else Vapor's own: a client cannot write
    /// a kilobyte or a line break into every log line.
    static func id(of req: Request) -> String {
        let given = req.id
        let plausible =
            given.utf8.count <= 64 && !given.isEmpty
            && given.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0) }
        return plausible ? given : UUID().uuidString
    }
}

/// Sets the request's id for everything done while answering it, and answers it in `X-Request-Id`.
struct RequestContextMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = RequestContext.id(of: req)
        req.logger[metadataKey: "request-id"] = .string(id)
        let response = try await RequestContext.$requestID.withValue(id) { try await next.respond(to: req) }
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        return response
    }
}

/// How the process writes its logs: `text` (Vapor's console format, the default) or `json`, one object per line for a
/// log collector (`ONSPOT_LOG_FORMAT=json`).
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// One JSON object per line: time (UTC, milliseconds), level, label, message, source, error, and the metadata of the
/// logger, of the call and of the request it belongs to, flattened. swift-log has no JSON handler of its own and none
/// is among the packages we can use; this one is a few lines of Foundation.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider?,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        for (key, value) in merged { fields[key] = JSONLogHandler.text(value) }
        fields["time"] = JSONLogHandler.timeStyle.format(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        fields["source"] = event.source
        if let error = event.error { fields["error"] = String(describing: error) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(fields) else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    /// `2026-11-29T16:30:46.701Z`: the zone designator is there, which the shorter `.iso8601(timeZone:…)` leaves out.
    static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array, .dictionary: value.description
        }
    }

    private static let outputLock = NIOLock()

    /// Whole lines, one writer at a time, so that two threads never interleave their objects. A write that fails (a
    /// full disk, a closed pipe) loses the line, never the process: `write(_: Data)` would trap.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        outputLock.withLock { try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8)) }
    }
}

/// Bootstraps the process's logging in `format`, with the request id on every line written for a request.
public func bootstrapLogging(_ format: LogFormat, from environment: inout Environment) throws {
    let level = try Logger.Level.detect(from: &environment)
    switch format {
    case .json:
        LoggingSystem.bootstrap(
            { label, provider in JSONLogHandler(label: label, level: level, metadataProvider: provider) },
            metadataProvider: RequestContext.metadataProvider)
    case .text:
        let console = Terminal()
        LoggingSystem.bootstrap(
            { label, provider in ConsoleLogger(label: label, console: console, level: level, metadataProvider: provider) },
            metadataProvider: RequestContext.metadataProvider)
    }
}
