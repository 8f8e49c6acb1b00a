import ArgumentParser
import Foundation
import OnSpotCore
import OnSpotServer

@main
enum Entry {
    static func main() async {
        restartWithoutBacktracerIfServing()
        await OnSpotCommand.main()
    }

    /// A server that crashes must free its port at once so its supervisor can start the next one: Swift's backtracer
    /// would hold the dying process for minutes (measured: over 300 s) while it symbolicates. The runtime reads
    /// SWIFT_BACKTRACE only at start, so `serve` and `worker` run themselves again with it off unless it was set on
    /// purpose.
    static func restartWithoutBacktracerIfServing() {
        #if os(Linux)
            let first = CommandLine.arguments.dropFirst().first ?? "serve"
            guard ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil,
                (first.hasPrefix("-") && first != "-h" && first != "--help") || first == "serve" || first == "worker"
            else { return }
            setenv("SWIFT_BACKTRACE", "enable=no", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: go on with the runtime's default.
        #endif
    }
}

struct OnSpotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onspot",
        abstract: "OnSpot Connect: traveller assistance for travel agencies.",
        discussion: """
            The server's commands read the configuration (ONSPOT_* variables, onspot-data/ in development). \
            rights, conditions, extract and bench need no server and no database, and touch no file.
            """,
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Jobs.self, Worker.self, Routes.self,
            Rights.self, Conditions.self, Extract.self, Bench.self, BenchPurge.self, BenchAlerts.self
        ],
        defaultSubcommand: Serve.self)
}

/// Options the server's commands share, passed on to Vapor's command system as they are.
struct ServerArguments: ParsableArguments {
    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Options for the command, as listed above."))
    var passthrough: [String] = []
}

/// A command of the server: Vapor's command of the same name runs it, with its options passed as they are. `--help`
/// prints this command's help without loading any configuration.
protocol ServerCommand: AsyncParsableCommand {
    /// The Vapor command's name, which is also this one's.
    static var vaporCommand: String { get }
    var arguments: ServerArguments { get }
}

extension ServerCommand {
    func run() async throws {
        if arguments.passthrough.contains("--help") || arguments.passthrough.contains("-h") {
            print(OnSpotCommand.helpMessage(for: Self.self))
            return
        }
        try await ServerProcess.run([Self.vaporCommand] + arguments.passthrough)
    }
}

struct Serve: ServerCommand {
    static let vaporCommand = "serve"
    static let configuration = CommandConfiguration(
        abstract: "Migrates the database, then serves the portal, the console, the API and the webhooks.",
        discussion: """
            Options: --demo (seed the demo agencies, users and trips once), --database PATH (the SQLite file), \
            --hostname H, --port P, --production (refuse to start without every production setting), \
            --no-background (answer requests only; onspot worker does the rest).
            """)
    @OptionGroup var arguments: ServerArguments
}

struct Migrate: ServerCommand {
    static let vaporCommand = "migrate"
    static let configuration = CommandConfiguration(
        abstract: "Applies pending database migrations and exits.",
        discussion: "Options: --database PATH.")
    @OptionGroup var arguments: ServerArguments
}

struct Demo: ServerCommand {
    static let vaporCommand = "demo"
    static let configuration = CommandConfiguration(
        abstract: "Seeds the demo data; with --scale N, N agencies of 1,000 trips and 10,000 messages each beside it.",
        discussion: "Options: --scale N (1 to 1000; 100 gives 100,000 trips and 1,000,000 messages), --database PATH. Into an empty database.")
    @OptionGroup var arguments: ServerArguments
}

struct Jobs: ServerCommand {
    static let vaporCommand = "jobs"
    static let configuration = CommandConfiguration(
        abstract: "Runs the scheduled work for a day: invoices, dunning, expiry, the retention purge, or all (a rerun never bills twice).",
        discussion: "Usage: onspot jobs invoices|dunning|expiry|purge|all [--date YYYY-MM-DD] [--database PATH].")
    @OptionGroup var arguments: ServerArguments
}

struct BenchPurge: ServerCommand {
    static let vaporCommand = "bench-purge"
    static let configuration = CommandConfiguration(
        abstract: "Seeds expired and current data into a fresh database, then times the retention purge and the intake beside it.",
        discussion: "Options: --agencies N, --travellers N (per agency), --messages N (per traveller), --database PATH (BENCHMARKS.md).")
    @OptionGroup var arguments: ServerArguments
}

struct BenchAlerts: ServerCommand {
    static let vaporCommand = "bench-alerts"
    static let configuration = CommandConfiguration(
        abstract:
            "Seeds travellers present now into a fresh database, then times a hurricane warning over Miami: matching, messages, banners, cancel.",
        discussion: "Options: --agencies N, --trips N (under way now, over all agencies), --database PATH (BENCHMARKS.md).")
    @OptionGroup var arguments: ServerArguments
}

struct Worker: ServerCommand {
    static let vaporCommand = "worker"
    static let configuration = CommandConfiguration(
        abstract: "Runs all the background work and no HTTP, beside web processes started with serve --no-background.",
        discussion:
            "Webhook processing, replies, agency webhooks, approval reminders, attachments, mail, billing and the retention purge; SIGTERM stops it after the work under way."
    )
    @OptionGroup var arguments: ServerArguments
}

struct Routes: ServerCommand {
    static let vaporCommand = "routes"
    static let configuration = CommandConfiguration(abstract: "Lists the server's routes.")
    @OptionGroup var arguments: ServerArguments
}

struct Rights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Passenger rights of a disrupted flight (EU261, UK261, APPR, US DOT, ANAC 400, Mexico, Australia, New Zealand).",
        discussion: "Reads a JSON case (or an array of cases) on standard input and writes the assessment as JSON.")

    func run() throws {
        let (output, ok) = RightsJSON.process(FileHandle.standardInput.readDataToEndOfFile())
        FileHandle.standardOutput.write(output + Data("\n".utf8))
        if !ok { throw ExitCode(65) }
    }
}

struct Conditions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Booking conditions, from the shipped rule packs.",
        subcommands: [List.self, Assess.self])

    static func engine() throws -> ConditionsEngine {
        do { return try ConditionsEngine.bundled() } catch {
            FileHandle.standardError.write(Data("onspot: rule pack refused: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The rule packs, their versions and events, as JSON.")
        func run() throws { FileHandle.standardOutput.write(ConditionsJSON.list(try Conditions.engine()) + Data("\n".utf8)) }
    }

    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What an event (cancellation, transfer, price revision…) costs under a pack, clause by clause.",
            discussion: "Reads the request as JSON on standard input.")
        func run() throws {
            let (output, ok) = ConditionsJSON.assess(FileHandle.standardInput.readDataToEndOfFile(), engine: try Conditions.engine())
            FileHandle.standardOutput.write(output + Data("\n".utf8))
            if !ok { throw ExitCode(65) }
        }
    }
}

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reservations found in a pasted confirmation, as schema.org JSON-LD.",
        discussion: """
            With --corpus INDEX.tsv: every document of an evaluation corpus (a file and its context date per line), as \
            one JSON object by file, with the in-process speed on standard error (scripts/extraction-eval.py reads both).
            """)

    @Argument(help: "The document to read, or - for standard input.")
    var file: String = "-"
    @Option(name: .customLong("context-date"), help: "The day the document was received, YYYY-MM-DD (default: today).")
    var contextDate: String?
    @Option(help: "An evaluation corpus index instead of one document.")
    var corpus: String?
    @Option(help: "Rounds over the corpus, for the speed figure.")
    var rounds: Int = 1
    @Flag(help: "With --corpus: each layer's reservations (ours, KItinerary's given the scripts the text names) and their merge.")
    var layers = false

    func run() async throws {
        if let corpus, layers { return try await runLayers(corpus) }
        if let corpus { return try runCorpus(corpus) }
        var context = AppClock.now
        if let contextDate {
            guard let date = Extraction.contextDate(contextDate) else {
                throw ValidationError("--context-date needs YYYY-MM-DD")
            }
            context = date
        }
        guard let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("onspot extract: cannot read \(file)\n".utf8))
            throw ExitCode(66)
        }
        do {
            let found = try Extraction.extract(String(decoding: data, as: UTF8.self), contextDate: context)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(found) + Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("onspot extract: input larger than \(Extraction.maximumInputCharacters) bytes\n".utf8))
            throw ExitCode(65)
        }
    }

    func runLayers(_ indexPath: String) async throws {
        var results: [String: LayeredExtractionRun.Result] = [:]
        for (name, text, context) in try Self.corpusDocuments(indexPath) {
            guard let result = await LayeredExtractionRun.run(text: text, contextDate: context) else {
                FileHandle.standardError.write(Data("onspot extract --layers: kitinerary-extractor is not installed (libkpimitinerary-bin)\n".utf8))
                throw ExitCode(69)
            }
            results[name] = result
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(results) + Data("\n".utf8))
    }

    static func corpusDocuments(_ indexPath: String) throws -> [(String, String, Date)] {
        guard let index = try? String(contentsOfFile: indexPath, encoding: .utf8) else {
            FileHandle.standardError.write(Data("onspot extract --corpus: cannot read the index\n".utf8))
            throw ExitCode(66)
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        var documents: [(String, String, Date)] = []
        for line in index.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 2, let context = Extraction.contextDate(fields[1]),
                let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(fields[0]))
            else {
                FileHandle.standardError.write(Data("onspot extract --corpus: bad index line: \(line)\n".utf8))
                throw ExitCode(65)
            }
            documents.append((fields[0], String(decoding: data, as: UTF8.self), context))
        }
        return documents
    }

    func runCorpus(_ indexPath: String) throws {
        let documents = try Self.corpusDocuments(indexPath)
        var results: [String: [JSONValue]] = [:]
        let started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<max(1, rounds) {
            for (name, text, context) in documents { results[name] = (try? Extraction.extract(text, contextDate: context)) ?? [] }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let count = documents.count * max(1, rounds)
        FileHandle.standardError.write(
            Data(String(format: "%d documents in %.3f s: %.0f documents/s\n", count, seconds, Double(count) / seconds).utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(results) + Data("\n".utf8))
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Webhook load generator against a running server (BENCHMARKS.md).",
        discussion: """
            Posts signed WhatsApp webhooks at a target rate, some of them duplicates, then GET /health at the same rate, \
            and prints sustained throughput and latency percentiles for both.
            """)

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "The WhatsApp endpoint's app secret.") var secret: String
    @Option(help: "Requests per second.") var rate: Double = 2000
    @Option(help: "Seconds.") var duration: Double = 20
    @Option(help: "Share of requests repeating an earlier message id, as Meta's retries do.") var duplicates: Double = 0.1
    @Option(help: "Connections.") var concurrency: Int = 64
    @Option(name: .customLong("phone-number-id"), help: "The WhatsApp phone number id of the endpoint.")
    var phoneNumberID: String = "106540352242922"

    func run() async throws {
        try await WebhookBenchmark.run(
            url: url, secret: secret, rate: rate, duration: duration, duplicates: duplicates,
            concurrency: concurrency, phoneNumberID: phoneNumberID)
    }
}
