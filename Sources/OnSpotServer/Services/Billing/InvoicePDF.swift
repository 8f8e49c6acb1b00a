import Crypto
import Fluent
import Foundation
import Vapor

/// Invoices and credit notes as PDF, printed from their page itself by headless Chromium (Debian's `chromium`, the browser the
/// browser suite drives): the same view, its print stylesheet, A4. The first download is archived and every later one
/// serves those bytes unchanged.
enum InvoicePDF {
    enum Failure: Error { case rendererMissing, renderFailed(String) }

    /// The binary: `ONSPOT_CHROMIUM`, else `chromium` on the PATH.
    static var chromium: String { Environment.get("ONSPOT_CHROMIUM") ?? "chromium" }
    static let timeout: Duration = .seconds(60)

    /// The archived PDF of an invoice or a credit note, or its page printed now and archived (two downloads at once keep
    /// the first stored).
    static func document<Document: ArchivedDocument>(
        _: Document.Type, for ownerID: UUID, page: () async throws -> String, on db: any Database
    ) async throws -> Document {
        if let stored = try await Document.query(on: db).filter(Document.owner == ownerID).first() { return stored }
        let pdf = try await render(html: try await page())
        let document = Document()
        document[keyPath: Document.owner].value = ownerID
        document.pdf = pdf
        document.sha256 = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
        document.createdAt = AppClock.now
        do {
            try await document.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another download archived it first: that one is the document.
            guard let stored = try await Document.query(on: db).filter(Document.owner == ownerID).first() else {
                throw Failure.renderFailed("\(error)")
            }
            return stored
        }
        return document
    }

    /// Prints a self-contained page (its stylesheet inlined) to PDF in a private temporary directory.
    static func render(html: String) async throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onspot-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("invoice.html")
        let output = directory.appendingPathComponent("invoice.pdf")
        let selfContained = html.replacingOccurrences(
            of: #"<link rel="stylesheet" href="\#(SiteURL.staticAsset("app.css").path)">"#, with: "<style>\(Assets.css)</style>")
        try Data(selfContained.utf8).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--print-to-pdf=\(output.path)", input.absoluteString
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withThrowingTaskGroup(of: Int32.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch { continuation.resume(throwing: Failure.rendererMissing) }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if process.isRunning { process.terminate() }
                throw Failure.renderFailed("timed out")
            }
            guard let first = try await group.next() else { throw Failure.renderFailed("no result") }
            group.cancelAll()
            return first
        }
        // `env` answers 127 when the binary is not found.
        if status == 127 { throw Failure.rendererMissing }
        guard status == 0, let pdf = try? Data(contentsOf: output), pdf.starts(with: Data("%PDF".utf8)) else {
            throw Failure.renderFailed("exit \(status)")
        }
        return pdf
    }
}
