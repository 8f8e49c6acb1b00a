import AsyncHTTPClient
import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor
import ZIPFoundation

/// Issue 21 (files) and 16 (documents as files through the API): a PDF, a saved email, a Wallet pass and a photo of a
/// boarding pass, dropped on the trip page or posted by a CRM, are read with the real programs (poppler, zxing-cpp),
/// kept verbatim, and their segments proposed; anything else is refused with a message that says why.
final class DocumentFilesTests: ServerTestCase {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/documents")
    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    static let hotelEmail = """
        Received: from mx.hotel-ocean.example by mx.evasion.example; Mon, 2 Mar 2026 09:12:00 +0100
        From: =?UTF-8?B?SMO0dGVsIE9jw6lhbg==?= <reservations@hotel-ocean.example>
        To: agent@evasion.example
        Subject: =?iso-8859-1?Q?Confirmation_de_r=E9servation?=
        Date: Mon, 2 Mar 2026 09:11:58 +0100
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Confirmation de r=E9servation
        H=F4tel Oc=E9an Montr=E9al
        Num=E9ro de confirmation : HX-5521
        Arriv=E9e : 04/10/2026 =E0 partir de 15h00
        D=E9part : 08/10/2026 avant 11h00
        Adresse : 1200 rue Sherbrooke Ouest, Montr=E9al
        --alt
        Content-Type: text/html; charset=utf-8

        <p>Confirmation</p>
        --alt--
        """

    /// A Wallet boarding pass as airlines issue them: a zip with pass.json (and, here, no signature: we only read it).
    static func walletPass(barcode: String = "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 100") throws -> Data {
        let archive = try Archive(accessMode: .create)
        let json = Data(
            """
            {"formatVersion": 1, "passTypeIdentifier": "pass.example.boarding", "organizationName": "Air Canada",
             "description": "Boarding pass", "boardingPass": {"transitType": "PKTransitTypeAir",
               "primaryFields": [{"key": "origin", "label": "Montréal", "value": "YUL"}, {"key": "destination", "label": "Frankfurt", "value": "FRA"}]},
             "barcodes": [{"format": "PKBarcodeFormatPDF417", "message": "\(barcode)", "messageEncoding": "iso-8859-1"}]}
            """.utf8)
        try archive.addEntry(with: "pass.json", type: .file, uncompressedSize: Int64(json.count), compressionMethod: .deflate) { position, size in
            json.subdata(in: Int(position)..<Int(position) + size)
        }
        let icon = Data(repeating: 7, count: 64)
        try archive.addEntry(with: "icon.png", type: .file, uncompressedSize: Int64(icon.count)) { position, size in
            icon.subdata(in: Int(position)..<Int(position) + size)
        }
        return try XCTUnwrap(archive.data)
    }

    static let crafted = Data(
        [
            0x50, 0x4B, 0x03, 0x04, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x2E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            0x00, 0x00, 0x00
        ])

    func agentOnATrip() async throws -> (TestBrowser, Trip, Agency) {
        let agency = try await makeAgency("Evasion")
        try await makeUser("agent@evasion.example", role: .agencyAgent, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul", reference: "ROY")
        return (try await signedIn("agent@evasion.example"), trip, agency)
    }

    func proposalTitles(_ html: String) -> [String] {
        html.components(separatedBy: "<label for=\"p-").dropFirst().compactMap { piece in
            piece.components(separatedBy: "\">").dropFirst().first?.components(separatedBy: "</label>").first
        }
    }

    func testEachKindOfFileDroppedOnTheTripPageIsReadKeptAndProposed() async throws {
        let (browser, trip, _) = try await agentOnATrip()
        let path = "/trips/\(trip.id!)/documents"
        let cases: [(MultipartFile, DocumentFileKind, [String])] = [
            (
                MultipartFile(filename: "E-ticket AF.pdf", contentType: "application/pdf", data: try Self.fixture("e-ticket.pdf")), .pdf,
                ["AF 90 CDG → MIA", "AF 95 MIA → CDG"]
            ),
            (
                MultipartFile(filename: "confirmation.eml", contentType: "message/rfc822", data: Data(Self.hotelEmail.utf8)), .email,
                ["Hôtel Océan Montréal"]
            ),
            (MultipartFile(filename: "AC834.pkpass", data: try Self.walletPass()), .walletPass, ["AC 834 YUL → FRA"]),
            // The sender's type is not trusted: a photo sent as octet-stream is still an image.
            (MultipartFile(filename: "IMG_2041.png", data: try Self.fixture("boarding-pass.png")), .image, ["AC 834 YUL → FRA"]),
            (
                MultipartFile(filename: "carte.jpg", contentType: "image/jpeg", data: try Self.fixture("boarding-pass-aztec.jpg")), .image,
                ["AC 834 YUL → FRA"]
            )
        ]
        for (file, kind, titles) in cases {
            let posted = try await browser.postMultipart(path, fields: [("documentTitle", ""), ("text", "")], files: [file])
            XCTAssertEqual(posted.status, .seeOther, "\(file.filename): \(posted.body.string.prefix(400))")
            let review = try XCTUnwrap(posted.location, file.filename)
            let page = try await browser.get(review)
            XCTAssertEqual(proposalTitles(page.body.string), titles, file.filename)
            let document = try await PastedDocument.query(on: app.db).filter(\.$fileName == file.filename).first()
            XCTAssertEqual(document?.fileKind, kind, file.filename)
            XCTAssertEqual(document?.title, file.filename, "the file's name when no title is given")
            XCTAssertEqual(document?.fileSize, file.data.count)
            XCTAssertTrue(
                page.body.string.contains(HTML.escape(L10n.t("document.file.read_from", .fr, ["kind": L10n.t(kind.labelKey, .fr)]))), file.filename)

            // The file comes back verbatim, as an attachment that the browser does not sniff or run.
            let download = try await browser.get("\(path)/\(document!.id!)/file")
            XCTAssertEqual(download.status, .ok)
            XCTAssertEqual(Data(download.body.readableBytesView), file.data, file.filename)
            XCTAssertEqual(download.headers.first(name: .contentType), kind.mediaType(of: file.data))
            XCTAssertTrue(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            XCTAssertEqual(download.headers.first(name: "X-Content-Type-Options"), "nosniff")
        }
        // The email's text is what a mail program shows: quoted-printable and Latin-1 undone.
        let email = try await PastedDocument.query(on: app.db).filter(\.$fileKind == .email).first()
        XCTAssertTrue(email?.text.contains("Hôtel Océan Montréal\nNuméro de confirmation : HX-5521") == true, email?.text ?? "")
        // Accepting from a file's review adds the segments as from a paste.
        let pdf = try await PastedDocument.query(on: app.db).filter(\.$fileKind == .pdf).first()
        let accepted = try await browser.post(
            "\(path)/\(pdf!.id!)/accept", form: [:], multiValue: [("segment[]", "0"), ("segment[]", "1")])
        XCTAssertEqual(accepted.status, .seeOther)
        let segments = try await ItinerarySegment.query(on: app.db).filter(\.$pastedDocumentID == pdf!.id!).count()
        XCTAssertEqual(segments, 2)
        // The trip page lists each file with its original.
        let tripPage = try await browser.get("/trips/\(trip.id!)").body.string
        XCTAssertEqual(tripPage.components(separatedBy: "class=\"muted document-file\"").count - 1, 5)
    }

    func testFilesThatCannotBeReadAreRefusedWithTheReasonAndNothingIsKept() async throws {
        let (browser, trip, _) = try await agentOnATrip()
        let path = "/trips/\(trip.id!)/documents"
        let word = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512))
        let notAPass = try { () throws -> Data in
            let archive = try Archive(accessMode: .create)
            let readme = Data("hello".utf8)
            try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(readme.count)) { p, s in
                readme.subdata(in: Int(p)..<Int(p) + s)
            }
            return try XCTUnwrap(archive.data)
        }()
        let cases: [(MultipartFile, String, [(String, String)])] = [
            (MultipartFile(filename: "devis.doc", data: word), "document.file.unsupported", []),
            (MultipartFile(filename: "scan.pdf", data: try Self.fixture("scanned.pdf")), "document.file.nothing_read", []),
            (MultipartFile(filename: "broken.pdf", data: Data("%PDF-1.7\nnot really a pdf".utf8)), "document.file.unreadable", []),
            (MultipartFile(filename: "photo.png", data: try Self.fixture("boarding-pass.png").prefix(200)), "document.file.unreadable", []),
            (MultipartFile(filename: "archive.zip", data: notAPass), "document.file.unsupported", []),
            // An end record that points past the file (a zip library's trap, weichsel/ZIPFoundation#394): refused, the
            // server still up.
            (MultipartFile(filename: "crafted.pkpass", data: Self.crafted), "document.file.unreadable", []),
            (MultipartFile(filename: "empty.pdf", data: Data()), "document.file.empty", []),
            (MultipartFile(filename: "big.txt", data: Data(repeating: 0x41, count: DocumentFile.maximumBytes + 1)), "document.file.too_large", []),
            (MultipartFile(filename: "pass.pkpass", data: try Self.walletPass()), "document.file.text_or_file", [("text", "Vol AF 90")])
        ]
        for (file, key, fields) in cases {
            let res = try await browser.postMultipart(path, fields: fields, files: [file])
            XCTAssertEqual(res.status, .unprocessableEntity, file.filename)
            XCTAssertTrue(res.body.string.contains(HTML.escape(L10n.t(key, .fr))), "\(file.filename): \(key)")
        }
        let kept = try await PastedDocument.query(on: app.db).count()
        let files = try await DocumentFileData.query(on: app.db).count()
        XCTAssertEqual([kept, files], [0, 0])
    }

    func testACRMPostsFilesAndReadsThemBackUnderItsOwnAgencyOnly() async throws {
        let a = try await makeAgency("A", language: .pt)
        let b = try await makeAgency("B")
        let keyA = try await makeApiKey(for: a)
        let readerA = try await makeApiKey(for: a, access: .readOnly)
        let keyB = try await makeApiKey(for: b)
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul")
        let path = "/api/v1/trips/\(trip.id!)/documents"
        func post(_ key: String, _ fields: [(String, String)], _ files: [MultipartFile], idempotency: String? = nil) async throws -> XCTHTTPResponse {
            let (body, type) = multipartBody(fields: fields, files: files)
            var headers = apiHeaders(key, json: false)
            headers.contentType = type
            if let idempotency { headers.replaceOrAdd(name: "Idempotency-Key", value: idempotency) }
            return try await app.sendRequest(.POST, path, headers: headers, body: body)
        }
        let pdf = MultipartFile(filename: "e-ticket.pdf", contentType: "application/pdf", data: try Self.fixture("e-ticket.pdf"))
        let posted = try await post(keyA, [("title", "Billets")], [pdf], idempotency: "crm-pdf-1")
        XCTAssertEqual(posted.status, .created, posted.body.string)
        let document = jsonObject(posted)
        let id = try XCTUnwrap(document["id"] as? String)
        let file = try XCTUnwrap(document["file"] as? [String: Any])
        XCTAssertEqual(file["kind"] as? String, "pdf")
        XCTAssertEqual(file["name"] as? String, "e-ticket.pdf")
        XCTAssertEqual(file["size"] as? Int, pdf.data.count)
        XCTAssertEqual(file["url"] as? String, "\(path)/\(id)/file")
        XCTAssertEqual(document["title"] as? String, "Billets")
        XCTAssertTrue((document["text"] as? String)?.contains("Vol AF 090 - Air France") == true)
        XCTAssertEqual((document["proposals"] as? [[String: Any]])?.compactMap { $0["title"] as? String }, ["AF 90 CDG → MIA", "AF 95 MIA → CDG"])

        // A retry draws a new boundary: the same key still answers the first document, once.
        let retried = try await post(keyA, [("title", "Billets")], [pdf], idempotency: "crm-pdf-1")
        XCTAssertEqual(retried.status, .created)
        XCTAssertEqual(jsonObject(retried)["id"] as? String, id)
        let reused = try await post(keyA, [("title", "Autre")], [pdf], idempotency: "crm-pdf-1")
        XCTAssertEqual(reused.status, .unprocessableEntity)
        let count = try await PastedDocument.query(on: app.db).count()
        XCTAssertEqual(count, 1)

        let download = try await app.sendRequest(.GET, "\(path)/\(id)/file", headers: apiHeaders(readerA, json: false))
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(Data(download.body.readableBytesView), pdf.data)
        XCTAssertEqual(download.headers.first(name: .contentType), "application/pdf")
        // Reading a traveller's document is on the audit trail, as reading their trip is.
        let reads = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.travellerDataRead.rawValue)
            .filter(\.$subjectID == id).count()
        XCTAssertEqual(reads, 1)

        // Isolation: another agency's key finds neither the document nor its file; a read-only key cannot post one.
        for url in ["\(path)/\(id)", "\(path)/\(id)/file"] {
            let res = try await app.sendRequest(.GET, url, headers: apiHeaders(keyB, json: false))
            XCTAssertEqual(res.status, .notFound, url)
        }
        let foreign = try await post(keyB, [], [pdf])
        XCTAssertEqual(foreign.status, .notFound)
        let readOnly = try await post(readerA, [], [pdf])
        XCTAssertEqual(readOnly.status, .forbidden)
        // The portal of another agency neither.
        try await makeUser("agent@b.example", role: .agencyAgent, agency: b)
        let otherBrowser = try await signedIn("agent@b.example")
        let portal = try await otherBrowser.get("/trips/\(trip.id!)/documents/\(id)/file")
        XCTAssertEqual(portal.status, .notFound)

        // Refusals in the key's agency language, on `file`.
        let scanned = try await post(keyA, [], [MultipartFile(filename: "scan.pdf", data: try Self.fixture("scanned.pdf"))])
        XCTAssertEqual(scanned.status, .unprocessableEntity)
        let error = (jsonObject(scanned)["errors"] as? [[String: Any]])?.first
        XCTAssertEqual(error?["field"] as? String, "file")
        XCTAssertEqual(error?["message"] as? String, L10n.t("document.file.nothing_read", .pt))
        let missing = try await post(keyA, [("title", "Sem arquivo")], [])
        XCTAssertEqual((jsonObject(missing)["errors"] as? [[String: Any]])?.first?["field"] as? String, "file")
        let tooLarge = try await post(
            keyA, [], [MultipartFile(filename: "big.txt", data: Data(repeating: 0x41, count: DocumentFile.maximumBytes + 1))])
        XCTAssertEqual(tooLarge.status, .payloadTooLarge)
        // A pasted document has no file.
        let pasted = try await app.sendRequest(.POST, path, headers: apiHeaders(keyA), body: jsonBody(["text": ExtractionReviewTests.carnet]))
        let pastedID = try XCTUnwrap(jsonObject(pasted)["id"] as? String)
        XCTAssertNil(jsonObject(pasted)["file"])
        let noFile = try await app.sendRequest(.GET, "\(path)/\(pastedID)/file", headers: apiHeaders(keyA, json: false))
        XCTAssertEqual(noFile.status, .notFound)
    }

    /// On a real socket a large body arrives in pieces after the middleware has run: the CSRF check must still find its
    /// token in the multipart form (in-memory requests, above, come whole).
    func testALargeFileDroppedOnARunningServerIsTakenWithItsFormToken() async throws {
        let (browser, trip, _) = try await agentOnATrip()
        _ = try await browser.get("/trips/\(trip.id!)")
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        // A pass with a 600 KB picture in it, as passes with strip images are.
        let archive = try Archive(accessMode: .create)
        let pass = try XCTUnwrap(Archive(data: try Self.walletPass(), accessMode: .read))
        for entry in pass {
            var data = Data()
            _ = try pass.extract(entry) { data.append($0) }
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count)) { p, n in data.subdata(in: Int(p)..<Int(p) + n) }
        }
        var generator = SystemRandomNumberGenerator()
        let strip = Data((0..<600_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try archive.addEntry(with: "strip@2x.png", type: .file, uncompressedSize: Int64(strip.count)) { p, n in strip.subdata(in: Int(p)..<Int(p) + n)
        }
        let big = try XCTUnwrap(archive.data)
        let (body, type) = multipartBody(
            fields: [("_csrf", browser.csrf ?? ""), ("documentTitle", "Carte")], files: [MultipartFile(filename: "big.pkpass", data: big)])
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/trips/\(trip.id!)/documents")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: type.serialize())
        request.headers.add(name: "Cookie", value: browser.cookieHeader)
        request.body = .bytes(body)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let response = try await client.execute(request, timeout: .seconds(30))
        try await client.shutdown()
        XCTAssertEqual(response.status, .seeOther)
        XCTAssertTrue(response.headers.first(name: "Location")?.hasSuffix("/review") == true)
        let document = try await PastedDocument.query(on: app.db).first()
        XCTAssertEqual(document?.fileSize, big.count)
        await app.server.shutdown()
    }

    func testAServerWithoutTheReadersSaysSoInsteadOfFailing() async throws {
        app.documentFileTools = CommandLineDocumentTools(pdftotext: "/nonexistent/pdftotext", zxingReader: "/nonexistent/ZXingReader")
        let agency = try await makeAgency("A", language: .en)
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul")
        let (body, type) = multipartBody(fields: [], files: [MultipartFile(filename: "e.pdf", data: try Self.fixture("e-ticket.pdf"))])
        var headers = apiHeaders(key, json: false)
        headers.contentType = type
        let res = try await app.sendRequest(.POST, "/api/v1/trips/\(trip.id!)/documents", headers: headers, body: body)
        XCTAssertEqual(res.status, .serviceUnavailable)
        XCTAssertEqual(jsonObject(res)["detail"] as? String, L10n.t("document.file.reader_missing", .en))
        // What needs no program still works: a Wallet pass.
        let (passBody, passType) = multipartBody(fields: [], files: [MultipartFile(filename: "p.pkpass", data: try Self.walletPass())])
        headers.contentType = passType
        let pass = try await app.sendRequest(.POST, "/api/v1/trips/\(trip.id!)/documents", headers: headers, body: passBody)
        XCTAssertEqual(pass.status, .created, pass.body.string)
    }

    func testErasureAndRetentionTakeTheFileAndItsNameAway() async throws {
        let (browser, trip, _) = try await agentOnATrip()
        let posted = try await browser.postMultipart(
            "/trips/\(trip.id!)/documents", fields: [],
            files: [MultipartFile(filename: "DESMARAIS Luc.pkpass", data: try Self.walletPass())])
        XCTAssertEqual(posted.status, .seeOther)
        try await PastedDocument.eraseTexts(ofTrips: [trip.requireID()], on: app.db)
        let document = try await PastedDocument.query(on: app.db).first()
        XCTAssertEqual(document?.text, "")
        XCTAssertNil(document?.fileName)
        XCTAssertEqual(document?.fileKind, .walletPass, "that a file existed is kept")
        let files = try await DocumentFileData.query(on: app.db).count()
        XCTAssertEqual(files, 0)
    }
}
