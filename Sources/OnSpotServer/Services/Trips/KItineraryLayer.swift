import Foundation
import OnSpotCore
import Vapor

/// The second extraction layer: KDE's KItinerary (`kitinerary-extractor`, Debian's libkpimitinerary-bin), given the
/// provider's scripts that the paste names (`KItineraryHints`), its JSON-LD kept on the document so that the proposals
/// stay the same each time they are read (`DocumentReview.proposals`).
protocol KItineraryReader: Sendable {
    /// KItinerary's JSON-LD for a document (its original file when it was posted as one), or nil when it failed.
    func read(_ data: Data, inputName: String, extractors: [String], contextDate: Date) async -> KItineraryReading?
}

struct KItineraryReading: Sendable {
    /// The JSON array kitinerary-extractor printed.
    var output: Data
    var extractors: [String]
    var milliseconds: Int
}

/// `kitinerary-extractor` run bounded (10 s, 1 GiB) in a private directory, without a display (Qt offscreen), fed no
/// more than a document may hold.
struct CommandLineKItinerary: KItineraryReader {
    static let debianPath = "/usr/lib/x86_64-linux-gnu/libexec/kf5/kitinerary-extractor"
    var executable: String
    var timeout: Duration = .seconds(10)
    var memoryBytes = 1_024 * 1_024 * 1_024

    /// `ONSPOT_KITINERARY`: `off`, or `auto` (the default): used when `ONSPOT_KITINERARY_EXTRACTOR` (else Debian's
    /// binary, else one on the PATH) is installed.
    static func configured(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CommandLineKItinerary? {
        if environment["ONSPOT_KITINERARY"]?.lowercased() == "off" { return nil }
        let candidates = [environment["ONSPOT_KITINERARY_EXTRACTOR"], debianPath, "kitinerary-extractor"].compactMap { $0 }
        guard let found = candidates.lazy.compactMap(BoundedCommand.locate).first else { return nil }
        return CommandLineKItinerary(executable: found)
    }

    func read(_ data: Data, inputName: String, extractors: [String], contextDate: Date) async -> KItineraryReading? {
        guard data.count <= DocumentFile.maximumBytes else { return nil }
        let context = LocalDateTime.iso8601(contextDate, in: .gmt).prefix(19)
        let started = DispatchTime.now().uptimeNanoseconds
        // Its extractors are named in one argument, separated by semicolons (a second -e replaces the first).
        let named = extractors.isEmpty ? [] : ["-e", extractors.joined(separator: ";")]
        guard
            let (status, output, _) = try? await BoundedCommand.run(
                executable, arguments: { input, _ in ["-c", String(context)] + named + [input] }, data: data, inputName: inputName,
                outputIsStdout: true, environment: ["QT_QPA_PLATFORM": "offscreen"], timeout: timeout, memoryBytes: memoryBytes),
            status == 0
        else { return nil }
        // What it printed must be a JSON array, else it is not kept.
        guard case .array? = try? JSONDecoder().decode(JSONValue.self, from: output) else { return nil }
        let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        return KItineraryReading(output: output, extractors: extractors, milliseconds: milliseconds)
    }
}

struct KItineraryReaderKey: StorageKey { typealias Value = KItineraryReaderSetting }

/// Set or not: nil means the layer is off.
struct KItineraryReaderSetting: Sendable { var reader: (any KItineraryReader)? }

extension Application {
    /// The KItinerary layer, set once at start from `ONSPOT_KITINERARY` (off in tests unless a test sets one).
    var kitinerary: (any KItineraryReader)? {
        get { storage[KItineraryReaderKey.self]?.reader }
        set { storage[KItineraryReaderKey.self] = KItineraryReaderSetting(reader: newValue) }
    }
}

extension KItineraryReader {
    /// Reads a document's text, or its file, with the scripts of the providers it names.
    func read(text: String, file: ReadDocumentFile?, sender: String?, contextDate: Date) async -> KItineraryReading? {
        let extractors = KItineraryHints.extractors(for: text, sender: sender)
        if let file {
            // Named by its kind: KItinerary picks its reader by the extension.
            let name = "input." + PersonalDataExport.fileExtension(file.mediaType, kind: file.kind)
            return await read(file.data, inputName: name, extractors: extractors, contextDate: contextDate)
        }
        return await read(Data(text.utf8), inputName: "input.txt", extractors: extractors, contextDate: contextDate)
    }
}

/// `onspot extract --layers`: a text through each layer and their merge, as the trip page and the API see them, for
/// scripts/extraction-eval.py.
public enum LayeredExtractionRun {
    public struct Result: Encodable, Sendable {
        public var onspot: [JSONValue]
        public var kitinerary: [JSONValue]
        public var merged: [JSONValue]
        public var extractors: [String]
        /// The KItinerary process's time for this document (spawn included).
        public var kitineraryMilliseconds: Int
        /// Fields where the layers disagreed.
        public var conflicts: Int
    }

    /// Nil when KItinerary is not installed (or `ONSPOT_KITINERARY=off`).
    public static func run(text: String, contextDate: Date) async -> Result? {
        guard let reader = CommandLineKItinerary.configured() else { return nil }
        let ours = (try? Extraction.extract(text, contextDate: contextDate)) ?? []
        let reading = await reader.read(text: text, file: nil, sender: nil, contextDate: contextDate)
        let theirs = reading.map { LayeredExtraction.reservations(fromKItinerary: $0.output) } ?? []
        let merged = LayeredExtraction.merge(ours: ours, theirs: theirs)
        return Result(
            onspot: ours, kitinerary: theirs, merged: merged.map(\.reservation),
            extractors: reading?.extractors ?? KItineraryHints.extractors(for: text),
            kitineraryMilliseconds: reading?.milliseconds ?? 0, conflicts: merged.reduce(0) { $0 + $1.alternatives.count })
    }
}
