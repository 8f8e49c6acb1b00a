import Foundation
import Logging
import OnSpotCore
import OnSpotServer
import Vapor

// A server that crashes must free its port at once so its supervisor can start the next one: Swift's backtracer would
// hold the dying process for minutes (measured: over 300 s) while it symbolicates. The runtime reads SWIFT_BACKTRACE
// only at start, so `serve` and `worker` run themselves again with it off unless it was set on purpose.
#if os(Linux)
let firstArgument = CommandLine.arguments.dropFirst().first ?? "serve"
if ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil,
   firstArgument.hasPrefix("-") || firstArgument == "serve" || firstArgument == "worker" {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // Only reached when the exec failed: go on with the runtime's default.
}
#endif

// `onspot serve [--demo] [--database PATH] [--hostname H] [--port P]`, `onspot migrate`.
let (flags, vaporArguments): (AppConfiguration.Flags, [String])
do {
    (flags, vaporArguments) = try AppConfiguration.extractFlags(CommandLine.arguments)
} catch {
    FileHandle.standardError.write(Data("onspot: \(error)\n".utf8))
    exit(64)
}
let config: AppConfiguration
do {
    config = try AppConfiguration.load(environment: ProcessInfo.processInfo.environment, flags: flags)
} catch {
    FileHandle.standardError.write(Data("onspot: configuration refused: \(error)\n".utf8))
    exit(78)
}

// `onspot rights`: pure computation, no server and no database.
if vaporArguments.dropFirst().first == "rights" {
    let input = FileHandle.standardInput.readDataToEndOfFile()
    let (output, ok) = RightsJSON.process(input)
    FileHandle.standardOutput.write(output + Data("\n".utf8))
    exit(ok ? 0 : 65)
}

// `onspot extract [FILE|-] [--context-date YYYY-MM-DD]`: reservations found in a pasted confirmation, as JSON-LD.
// `onspot extract --corpus INDEX.tsv [--rounds N]`: every document of an evaluation corpus (file and context date per line),
// as one JSON object by file, with the in-process speed on standard error (scripts/extraction-eval.py reads both).
if vaporArguments.dropFirst().first == "extract", vaporArguments.dropFirst(2).first == "--corpus" {
    let arguments = Array(vaporArguments.dropFirst(3))
    guard let indexPath = arguments.first, let index = try? String(contentsOfFile: indexPath, encoding: .utf8) else {
        FileHandle.standardError.write(Data("onspot extract --corpus: cannot read the index\n".utf8))
        exit(66)
    }
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 1
    let folder = (indexPath as NSString).deletingLastPathComponent
    var documents: [(String, String, Date)] = []
    for line in index.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t").map(String.init)
        guard fields.count >= 2, let context = Extraction.contextDate(fields[1]),
              let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(fields[0])) else {
            FileHandle.standardError.write(Data("onspot extract --corpus: bad index line: \(line)\n".utf8))
            exit(65)
        }
        documents.append((fields[0], String(decoding: data, as: UTF8.self), context))
    }
    var results: [String: [JSONValue]] = [:]
    let started = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<max(1, rounds) {
        for (name, text, context) in documents { results[name] = (try? Extraction.extract(text, contextDate: context)) ?? [] }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let count = documents.count * max(1, rounds)
    FileHandle.standardError.write(Data(String(format: "%d documents in %.3f s: %.0f documents/s\n", count, seconds, Double(count) / seconds).utf8))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(try encoder.encode(results) + Data("\n".utf8))
    exit(0)
}
if vaporArguments.dropFirst().first == "extract" {
    var arguments = Array(vaporArguments.dropFirst(2))
    var context = AppClock.now
    if let i = arguments.firstIndex(of: "--context-date") {
        guard i + 1 < arguments.count, let date = Extraction.contextDate(arguments[i + 1]) else {
            FileHandle.standardError.write(Data("onspot extract: --context-date needs YYYY-MM-DD\n".utf8))
            exit(64)
        }
        context = date
        arguments.removeSubrange(i...(i + 1))
    }
    let path = arguments.first ?? "-"
    guard let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("onspot extract: cannot read \(path)\n".utf8))
        exit(66)
    }
    do {
        let found = try Extraction.extract(String(decoding: data, as: UTF8.self), contextDate: context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(found) + Data("\n".utf8))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("onspot extract: input larger than \(Extraction.maximumInputCharacters) bytes\n".utf8))
        exit(65)
    }
}

// `onspot bench`: a load generator against a running server (BENCHMARKS.md).
if vaporArguments.dropFirst().first == "bench" {
    try await WebhookBenchmark.run(Array(vaporArguments.dropFirst(2)))
    exit(0)
}

// `onspot conditions list | assess`: booking conditions, from the shipped rule packs.
if vaporArguments.dropFirst().first == "conditions" {
    let engine: ConditionsEngine
    do { engine = try ConditionsEngine.bundled() } catch {
        FileHandle.standardError.write(Data("onspot: rule pack refused: \(error)\n".utf8))
        exit(78)
    }
    switch vaporArguments.dropFirst(2).first {
    case "list":
        FileHandle.standardOutput.write(ConditionsJSON.list(engine) + Data("\n".utf8))
        exit(0)
    case "assess":
        let (output, ok) = ConditionsJSON.assess(FileHandle.standardInput.readDataToEndOfFile(), engine: engine)
        FileHandle.standardOutput.write(output + Data("\n".utf8))
        exit(ok ? 0 : 65)
    default:
        FileHandle.standardError.write(Data("usage: onspot conditions list | onspot conditions assess < request.json\n".utf8))
        exit(64)
    }
}

var env = try Environment.detect(arguments: vaporArguments)
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app, config)
    app.registerOnSpotCommands()
    let command = vaporArguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
    if command == "serve" {
        try await app.autoMigrate().get()
        try await tuneSQLite(app)
        // Webhook events stored before a crash are processed now, then swept while serving.
        _ = try await InboundProcessor.sweep(on: app.db)
        InboundProcessor.startSweeping(app)
        OutboxSender.startSending(app)
        OnSpotServer.startAgencyWebhooks(app)
        OnSpotServer.startApprovalReminders(app)
        OnSpotServer.startAttachmentFetching(app)
        OnSpotServer.startMailRetries(app)
        OnSpotServer.startScheduledBilling(app)
        OnSpotServer.startLiveRechecks(app)
        if config.seedDemo {
            try await DemoSeed.run(on: app, now: app.clock.now())
            let host = value(of: ["--hostname", "-H"], in: vaporArguments) ?? "127.0.0.1"
            let port = value(of: ["--port", "-p"], in: vaporArguments) ?? "8080"
            print("OnSpot Connect demo: http://\(host):\(port)/")
            for login in DemoSeed.logins { print("  \(login.role): \(login.email) / \(login.password)") }
        }
    }
    try await app.execute()
    try await app.asyncShutdown()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}

func value(of names: [String], in arguments: [String]) -> String? {
    for (i, arg) in arguments.enumerated() {
        for name in names {
            if arg == name, i + 1 < arguments.count { return arguments[i + 1] }
            if arg.hasPrefix(name + "=") { return String(arg.dropFirst(name.count + 1)) }
        }
    }
    return nil
}
