import Foundation
import OnSpotCore
import Vapor

/// The programs that read what Swift cannot: the text of a PDF and the barcodes of an image.
protocol DocumentFileTools: Sendable {
    /// The PDF's text, its columns kept in place (`pdftotext -layout`).
    func pdfText(_ data: Data) async throws(DocumentFileRefusal) -> String
    /// The contents of the barcodes in an image (PDF417 and Aztec on boarding passes, QR and Data Matrix on vouchers).
    func barcodes(inImage data: Data) async throws(DocumentFileRefusal) -> [String]
    /// A Wallet pass's `pass.json`: `unsupported` for a zip that is no pass, `unreadable` for a broken one.
    func passJSON(_ data: Data) async throws(DocumentFileRefusal) -> Data
}

/// Debian's poppler-utils (`pdftotext`), zxing-cpp-tools (`ZXingReader`) and Info-ZIP's `unzip` (a zip from outside is
/// not opened in the server's process: a crafted one has made zip libraries trap), run with the file in a private temporary
/// directory, bounded in time and memory (`prlimit`), their output read from a file (no pipe to fill and block on).
/// `ONSPOT_PDFTOTEXT` and `ONSPOT_ZXINGREADER` name other binaries.
struct CommandLineDocumentTools: DocumentFileTools {
    var pdftotext = Environment.get("ONSPOT_PDFTOTEXT") ?? "pdftotext"
    var zxingReader = Environment.get("ONSPOT_ZXINGREADER") ?? "ZXingReader"
    var unzip = Environment.get("ONSPOT_UNZIP") ?? "unzip"
    var timeout: Duration = .seconds(20)
    /// Address space of one reading: poppler and zxing need tens of megabytes for the files taken.
    var memoryBytes = 1_024 * 1_024 * 1_024

    func pdfText(_ data: Data) async throws(DocumentFileRefusal) -> String {
        let (status, output, _) = try await BoundedCommand.run(
            pdftotext, arguments: { input, output in ["-layout", "-enc", "UTF-8", "-q", "-l", "200", input, output] }, data: data,
            inputName: "input.pdf",
            timeout: timeout, memoryBytes: memoryBytes)
        // pdftotext: 1 cannot open, 3 permissions (encrypted and protected), 99 other.
        guard status == 0 else { throw .unreadable }
        return String(decoding: output, as: UTF8.self)
    }

    func passJSON(_ data: Data) async throws(DocumentFileRefusal) -> Data {
        let (status, output, _) = try await BoundedCommand.run(
            unzip, arguments: { input, _ in ["-p", "-qq", input, "pass.json"] }, data: data, inputName: "input.pkpass", outputIsStdout: true,
            timeout: timeout, memoryBytes: memoryBytes)
        // unzip: 11 no such member (a zip, but no pass), 9 and others a broken or foreign archive.
        if status == 11 { throw .unsupported }
        guard status == 0, output.count <= DocumentFile.maximumPassJSONBytes else { throw .unreadable }
        return output
    }

    func barcodes(inImage data: Data) async throws(DocumentFileRefusal) -> [String] {
        let (status, output, errors) = try await BoundedCommand.run(
            zxingReader, arguments: { input, _ in ["-format", "PDF417,Aztec,QRCode,DataMatrix", "-1", input] }, data: data, inputName: "input",
            outputIsStdout: true, timeout: timeout, memoryBytes: memoryBytes)
        let text = String(decoding: output, as: UTF8.self)
        // ZXingReader answers 255 both for "no barcode" and for an image it cannot decode, which it says on stderr.
        if status != 0 {
            if String(decoding: errors, as: UTF8.self).contains("Failed to read image") { throw .unreadable }
            return []
        }
        // "-1": one line per barcode, `<file> <format> "<content with <LF>-style escapes>"`.
        return text.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close else { return nil }
            var content = String(line[line.index(after: open)..<close])
            for (escape, value) in [("<LF>", "\n"), ("<CR>", "\r"), ("<HT>", "\t"), ("<TAB>", "\t"), ("<SP>", " "), ("<GS>", "\u{1D}")] {
                content = content.replacingOccurrences(of: escape, with: value)
            }
            return content.isEmpty ? nil : content
        }
    }

}

/// A program run on a file in a private temporary directory, bounded in time (killed past `timeout`) and memory
/// (`prlimit --as`, and CPU seconds), its output read from files (no pipe to fill and block on), at most
/// `maximumOutputBytes`.
enum BoundedCommand {
    /// The most output read back: more text than a document may hold is refused anyway.
    static let maximumOutputBytes = 4 * 1_024 * 1_024
    /// Readings at once: each may take a core and a gigabyte; the rest wait their turn.
    static let slots = CommandSlots(capacity: 2)

    /// Runs `program` on `data` written to a file; answers its exit status, its output (the file it wrote, or stdout)
    /// and the first kilobytes of its stderr. The child gets a minimal environment (no secrets of the server's), the
    /// private directory as its home and working directory, no core dumps, and no file larger than the output read back.
    static func run(
        _ program: String, arguments: (String, String) -> [String], data: Data, inputName: String, outputIsStdout: Bool = false,
        environment: [String: String] = [:], timeout: Duration, memoryBytes: Int
    ) async throws(DocumentFileRefusal) -> (Int32, Data, Data) {
        guard let executable = locate(program) else { throw .readerMissing }
        await slots.acquire()
        defer { Task { await slots.release() } }
        // A request gone while it waited for its turn starts nothing.
        guard !Task.isCancelled else { throw .unreadable }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onspot-read-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw .readerMissing }
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent(inputName)
        let output = directory.appendingPathComponent("output")
        let errorOutput = directory.appendingPathComponent("errors")
        guard (try? data.write(to: input)) != nil, FileManager.default.createFile(atPath: output.path, contents: nil),
            FileManager.default.createFile(atPath: errorOutput.path, contents: nil),
            let outputHandle = try? FileHandle(forWritingTo: output), let errorHandle = try? FileHandle(forWritingTo: errorOutput)
        else { throw .readerMissing }
        let process = Process()
        let seconds = Int(timeout.components.seconds) + 1
        process.environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": directory.path, "TMPDIR": directory.path
        ].merging(environment) { $1 }
        process.currentDirectoryURL = directory
        if let prlimit = locate("prlimit") {
            process.executableURL = URL(fileURLWithPath: prlimit)
            process.arguments =
                ["--as=\(memoryBytes)", "--cpu=\(seconds)", "--core=0", "--fsize=\(2 * maximumOutputBytes)", "--", executable]
                + arguments(input.path, output.path)
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(input.path, output.path)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputIsStdout ? outputHandle : FileHandle.nullDevice
        process.standardError = errorHandle
        let finished = ProcessEnd()
        process.terminationHandler = { finished.resolve($0.terminationStatus) }
        do { try process.run() } catch {
            try? outputHandle.close()
            try? errorHandle.close()
            throw .readerMissing
        }
        // Past the time allowed (or when the request goes away): asked to stop, then killed.
        let pid = process.processIdentifier
        // A child that has ended (and whose number may be reused) is never signalled.
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            guard !finished.hasEnded else { return }
            finished.timedOut()
            kill(pid, SIGTERM)
            try await Task.sleep(for: .seconds(1))
            if !finished.hasEnded { kill(pid, SIGKILL) }
        }
        let status = await withTaskCancellationHandler {
            await finished.value()
        } onCancel: {
            if !finished.hasEnded { kill(pid, SIGKILL) }
        }
        watchdog.cancel()
        try? outputHandle.close()
        try? errorHandle.close()
        guard let status, !finished.didTimeOut else { throw .unreadable }
        let handle = try? FileHandle(forReadingFrom: output)
        defer { try? handle?.close() }
        let produced = (try? handle?.read(upToCount: maximumOutputBytes + 1)) ?? nil
        guard (produced?.count ?? 0) <= maximumOutputBytes else { throw .textTooLong }
        let errorReader = try? FileHandle(forReadingFrom: errorOutput)
        defer { try? errorReader?.close() }
        let errors = (try? errorReader?.read(upToCount: 4_096)) ?? nil
        return (status, produced ?? Data(), errors ?? Data())
    }

    /// An absolute path, or the first match on PATH.
    static func locate(_ program: String) -> String? {
        if program.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A bounded number of readings at once, the others waiting in order.
actor CommandSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(capacity: Int) { free = capacity }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// A child's exit, awaited once; the termination handler may run before or after the wait starts.
final class ProcessEnd: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?
    private var ended = false
    private var timedOutFlag = false
    private var continuation: CheckedContinuation<Int32?, Never>?

    func resolve(_ value: Int32) {
        lock.lock()
        status = value
        ended = true
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: value)
    }

    func timedOut() {
        lock.lock()
        timedOutFlag = true
        lock.unlock()
    }

    var hasEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }

    var didTimeOut: Bool {
        lock.lock()
        defer { lock.unlock() }
        return timedOutFlag
    }

    func value() async -> Int32? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            lock.lock()
            if ended {
                let value = status
                lock.unlock()
                continuation.resume(returning: value)
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }
}

/// A file read: its kind, as kept and served, and the text extraction reads (what an agent would have pasted).
struct ReadDocumentFile: Sendable {
    var kind: DocumentFileKind
    var mediaType: String
    var fileName: String?
    var text: String
    var data: Data
    /// An email's sender, which names the provider to KItinerary.
    var sender: String? = nil
}

enum DocumentFiles {
    /// Tells the file's kind from its content and reads its text; every refusal says why, in the user's language.
    static func read(_ data: Data, fileName: String?, tools: any DocumentFileTools) async throws(DocumentFileRefusal) -> ReadDocumentFile {
        guard !data.isEmpty else { throw .empty }
        guard data.count <= DocumentFile.maximumBytes else { throw .tooLarge }
        guard let kind = DocumentFile.kind(of: data, fileName: fileName) else { throw .unsupported }
        let text: String
        var sender: String?
        switch kind {
        case .text: text = DocumentFile.text(of: data)
        case .pdf: text = try await tools.pdfText(data)
        case .email:
            guard let email = try? EmailMessage.parse(data) else { throw .unreadable }
            text = email.readableText
            sender = email.fromAddress
        case .walletPass: text = try WalletPass.text(passJSON: try await tools.passJSON(data))
        case .image:
            let codes = try await tools.barcodes(inImage: data)
            text = codes.joined(separator: "\n")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .nothingRead }
        guard trimmed.unicodeScalars.count <= DocumentReview.maximumCharacters else { throw .textTooLong }
        // NUL never reaches the database (PostgreSQL refuses it in text).
        let kept = trimmed.contains("\u{0}") ? trimmed.replacingOccurrences(of: "\u{0}", with: "") : trimmed
        return ReadDocumentFile(
            kind: kind, mediaType: kind.mediaType(of: data), fileName: DocumentFile.cleanFileName(fileName), text: kept, data: data,
            sender: sender)
    }
}

/// A kept file served back: always as an attachment, sandboxed and never sniffed, with its name in both
/// Content-Disposition forms (ASCII, and UTF-8 per RFC 6266 / 8187).
enum DocumentDownload {
    static func response(_ data: Data, mediaType: String, fileName: String?, kind: DocumentFileKind?) -> Response {
        let name = fileName ?? "document.\(PersonalDataExport.fileExtension(mediaType, kind: kind))"
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        // RFC 8187 attr-chars are ASCII: `.alphanumerics` would let "é" through unencoded.
        let attrChars = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: attrChars) ?? ascii
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

struct DocumentFileToolsKey: StorageKey { typealias Value = any DocumentFileTools }

extension Application {
    /// poppler and zxing from the PATH, unless a test sets others.
    var documentFileTools: any DocumentFileTools {
        get { storage[DocumentFileToolsKey.self] ?? CommandLineDocumentTools() }
        set { storage[DocumentFileToolsKey.self] = newValue }
    }
}
