import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 21, files: kinds told from content, saved emails read as mail programs write them, wallet passes read to text
/// the extraction finds the flight in.
final class DocumentFileTests: XCTestCase {
    static let context = ISO8601DateFormatter().date(from: "2026-03-01T12:00:00Z")!

    func testKindsAreToldFromContentNotFromTheName() {
        XCTAssertEqual(DocumentFile.kind(of: Data("%PDF-1.7\n...".utf8), fileName: "x.txt"), .pdf)
        XCTAssertEqual(DocumentFile.kind(of: Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]), fileName: "pass.pdf"), .walletPass)
        XCTAssertEqual(DocumentFile.kind(of: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])), .image)
        XCTAssertEqual(DocumentFile.kind(of: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])), .image)
        XCTAssertEqual(DocumentFile.kind(of: Data("Vol AF 1234 Paris CDG -> Montréal YUL le 28 mars".utf8)), .text)
        XCTAssertEqual(DocumentFile.kind(of: Data("From: agent@horizon.example\nSubject: Votre voyage\n\nBonjour".utf8)), .email)
        // A paste that starts with "From: Paris" is text, not mail.
        XCTAssertEqual(DocumentFile.kind(of: Data("From: Paris CDG\nTo: Montreal YUL\n\nDeparture 28 March".utf8)), .text)
        XCTAssertNil(DocumentFile.kind(of: Data()))
        XCTAssertNil(DocumentFile.kind(of: Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])), "an executable")
        XCTAssertNil(DocumentFile.kind(of: Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])), "a Word 97 file")
        XCTAssertNil(DocumentFile.kind(of: Data((0..<2_000).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })), "random bytes")
        XCTAssertEqual(DocumentFileKind.image.mediaType(of: Data([0xFF, 0xD8, 0xFF, 0xE0])), "image/jpeg")
        XCTAssertEqual(DocumentFile.kind(of: Data("BMW 320d - location Hertz du 12/07 au 19/07".utf8)), .text, "not a bitmap")
        // Text in a script of multi-byte characters, longer than the sample read: its cut character is not a reason to refuse.
        XCTAssertEqual(DocumentFile.kind(of: Data(String(repeating: "東京駅 新幹線 のぞみ ", count: 8_000).utf8)), .text)
    }

    func testFileNamesAreCleanedForDisplayAndDownload() {
        XCTAssertEqual(DocumentFile.cleanFileName("C:\\Users\\agent\\Voucher \"Hertz\".pdf"), "Voucher Hertz.pdf")
        XCTAssertEqual(DocumentFile.cleanFileName("../../etc/passwd"), "passwd")
        XCTAssertEqual(DocumentFile.cleanFileName("a\r\nb.eml"), "ab.eml")
        XCTAssertNil(DocumentFile.cleanFileName("  "))
        XCTAssertNil(DocumentFile.cleanFileName("///"))
        XCTAssertEqual(DocumentFile.cleanFileName("facture\u{202E}fdp.exe"), "facturefdp.exe", "a bidi override is dropped")
        XCTAssertEqual(DocumentFile.cleanFileName(String(repeating: "é", count: 300))?.unicodeScalars.count, 200)
    }

    static let multipartEmail = """
        Return-Path: <reservations@hotel-ocean.example>
        Received: from mx.example by mx.horizon.example; Mon, 2 Mar 2026 09:12:00 +0100
        From: =?UTF-8?B?SMO0dGVsIE9jw6lhbg==?= <reservations@hotel-ocean.example>
        To: agent@horizon.example
        Subject: =?iso-8859-1?Q?Confirmation_de_r=E9servation?= =?iso-8859-1?Q?_n=B0_HX-5521?=
        Date: Mon, 2 Mar 2026 09:11:58 +0100 (CET)
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        This is a multi-part message in MIME format.
        --outer
        Content-Type: multipart/alternative;
         boundary=inner

        --inner
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        H=F4tel Oc=E9an, Miami Beach
        Arriv=E9e : 28 mars 2026 - D=E9part : 4 avril 2026
        Confirmation : HX-5521 =
        (chambre double)
        --inner
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: base64

        PHRhYmxlPjx0cj48dGQ+SMO0dGVsPC90ZD48dGQ+T2PDqWFuPC90ZD48L3RyPjwvdGFibGU+
        --inner--
        --outer
        Content-Type: application/pdf; name="facture.pdf"
        Content-Disposition: attachment; filename="facture.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        """

    func testAMultipartEmailIsReadAsAMailProgramShowsIt() throws {
        let email = try EmailMessage.parse(Data(Self.multipartEmail.utf8))
        XCTAssertEqual(email.header("Subject"), "Confirmation de réservation n° HX-5521")
        XCTAssertEqual(email.header("From"), "Hôtel Océan <reservations@hotel-ocean.example>")
        XCTAssertEqual(email.fromAddress, "reservations@hotel-ocean.example")
        XCTAssertEqual(email.sentAt, ISO8601DateFormatter().date(from: "2026-03-02T08:11:58Z"))
        XCTAssertEqual(email.parts.map(\.mediaType), ["text/plain", "text/html", "application/pdf"])
        XCTAssertEqual(email.parts[1].text, "<table><tr><td>Hôtel</td><td>Océan</td></tr></table>")
        XCTAssertEqual([UInt8](email.parts[2].body.prefix(5)), Array("%PDF-".utf8))
        // The plain part is chosen (no schema.org markup in the HTML); quoted-printable soft breaks joined, Latin-1 decoded.
        XCTAssertEqual(
            email.readableText, "Hôtel Océan, Miami Beach\nArrivée : 28 mars 2026 - Départ : 4 avril 2026\nConfirmation : HX-5521 (chambre double)")
    }

    func testTheHTMLPartIsReadWhenItCarriesMarkupOrIsAlone() throws {
        let html = #"<html><script type="application/ld+json">{"@type":"FlightReservation"}</script><body>Vol</body></html>"#
        let email = """
            From: no-reply@airline.example\r
            MIME-Version: 1.0\r
            Content-Type: multipart/alternative; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain\r
            \r
            Vol\r
            --b1\r
            Content-Type: text/html; charset="UTF-8"\r
            \r
            \(html)\r
            --b1--\r
            """
        XCTAssertEqual(try EmailMessage.parse(Data(email.utf8)).readableText, html, "CRLF line ends, markup in the HTML part")
        let forwarded = """
            From: agent@horizon.example
            Subject: Fwd: voucher
            Content-Type: message/rfc822

            From: vouchers@excursions.example
            Content-Type: text/html

            <p>Excursion Everglades</p>
            """
        XCTAssertEqual(try EmailMessage.parse(Data(forwarded.utf8)).readableText, "<p>Excursion Everglades</p>")
    }

    func testBrokenEmailsAreRefusedOrReadAsFarAsTheyGo() {
        XCTAssertThrowsError(try EmailMessage.parse(Data("just a line of text\nand another".utf8)))
        XCTAssertThrowsError(try EmailMessage.parse(Data(" folded first line\nFrom: a@b.example\n\nx".utf8)))
        // No closing delimiter, a part without headers, bad base64 and a dangling "=": read as far as they go.
        let broken = """
            From: a@b.example
            Content-Type: multipart/mixed; boundary=x

            --x

            plain part without headers
            --x
            Content-Transfer-Encoding: quoted-printable

            caf=E9 =
            """
        let email = try? EmailMessage.parse(Data(broken.utf8))
        XCTAssertEqual(email?.parts.count, 2)
        XCTAssertEqual(email?.parts.first?.text, "plain part without headers")
        // Nesting deeper than eight multiparts is refused rather than walked.
        var nested = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for level in 1...12 { nested += "--b\(level - 1)\nContent-Type: multipart/mixed; boundary=b\(level)\n\n" }
        XCTAssertThrowsError(try EmailMessage.parse(Data(nested.utf8))) { XCTAssertEqual($0 as? EmailMessage.ParseError, .tooDeep) }
    }

    func testAWalletBoardingPassIsReadToTextTheExtractionFindsTheFlightIn() throws {
        let bcbp = "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 100"
        let pass = """
            {"formatVersion": 1, "organizationName": "Air Canada", "description": "Boarding pass",
             "relevantDate": "2026-11-22T17:15-05:00",
             "boardingPass": {"transitType": "PKTransitTypeAir",
               "primaryFields": [{"key": "origin", "label": "Montréal", "value": "YUL"}, {"key": "destination", "label": "Frankfurt", "value": "FRA"}],
               "auxiliaryFields": [{"key": "seat", "label": "Seat", "value": "3A"}, {"key": "gate", "label": "Gate", "value": 52}]},
             "barcodes": [{"format": "PKBarcodeFormatAztec", "message": "\(bcbp)", "messageEncoding": "iso-8859-1"}]}
            """
        let text = try WalletPass.text(passJSON: Data(pass.utf8))
        XCTAssertTrue(text.contains("Montréal: YUL\nFrankfurt: FRA\nSeat: 3A\nGate: 52"), text)
        let found = try Extraction.extract(text, contextDate: Self.context)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?["reservationFor"]?["flightNumber"]?.string, "834")
        XCTAssertEqual(found.first?["reservationFor"]?["departureAirport"]?["iataCode"]?.string, "YUL")
        XCTAssertThrowsError(try WalletPass.text(passJSON: Data("[1,2]".utf8)))
        XCTAssertThrowsError(try WalletPass.text(passJSON: Data(#"{"formatVersion": 1}"#.utf8))) {
            XCTAssertEqual($0 as? DocumentFileRefusal, .nothingRead)
        }
    }

    func testEveryRefusalHasItsMessageInTheThreeLanguages() {
        let refusals: [DocumentFileRefusal] = [.empty, .tooLarge, .unsupported, .unreadable, .nothingRead, .textTooLong, .readerMissing]
        for refusal in refusals {
            for language in [Language.fr, .en, .pt] {
                XCTAssertNotEqual(L10n.t(refusal.messageKey, language), refusal.messageKey)
            }
        }
        for kind in DocumentFileKind.allCases { XCTAssertTrue(L10n.has(kind.labelKey), kind.rawValue) }
    }
}
