import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 21: HTML confirmation pages read by their structure (rows, cells, blocks), not by patterns over their tags.
final class HTMLTextTests: XCTestCase {
    static let page = """
        <!DOCTYPE html><html><head><title>Confirmation</title><style>td { color: red } /* <td>not text</td> */</style>
        <script>var t = "<tr><td>tracking</td></tr>"; if (a < b) {}</script></head>
        <body><!-- header --><div class="nav">Accueil | Mes r&eacute;servations</div>
        <table role="presentation" cellpadding="0">
          <tr><td style="font-weight:bold">H&ocirc;tel</td><td>Le Germain Montr&eacute;al</td></tr>
          <tr><td>Adresse</td><td>2050, rue Mansfield,<br>Montr&#233;al</td></tr>
          <tr><td>Arriv&eacute;e</td><td>jeu. 14&nbsp;janv. 2027 (&agrave; partir de 15:00)</td></tr>
          <tr><td>D&eacute;part :</td><td>dim. 17 janv. 2027 (jusqu'&agrave; 11:00)</td></tr>
          <tr><td>Num&eacute;ro de confirmation</td><td><b>3521.887.402</b></td></tr>
          <tr><td>Vol</td><td>Date</td><td>Départ</td></tr>
        </table>
        <p>Prix&nbsp;: 612,00&nbsp;&euro; &amp; taxes <img src="x.png" alt="Payé"></p>
        <ul><li>Annulation gratuite</li><li>Petit-déjeuner &#x263A;</li></ul>
        <p>1 < 2 and &bogus; &amp stays</p>
        </body></html>
        """

    func testRowsCellsAndBlocksBecomeLinesAndHiddenPartsGo() {
        let lines = HTMLText.text(of: Self.page).components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(
            lines,
            [
                "Accueil | Mes réservations", "Hôtel : Le Germain Montréal", "Adresse : 2050, rue Mansfield, Montréal",
                "Arrivée : jeu. 14 janv. 2027 (à partir de 15:00)", "Départ : dim. 17 janv. 2027 (jusqu'à 11:00)",
                "Numéro de confirmation : 3521.887.402", "Vol  Date  Départ", "Prix : 612,00 € & taxes Payé", "- Annulation gratuite",
                "- Petit-déjeuner ☺", "1 < 2 and &bogus; &amp stays"
            ])
        XCTAssertFalse(HTMLText.text(of: Self.page).contains("tracking"))
        XCTAssertFalse(HTMLText.text(of: Self.page).contains("color"))
    }

    func testAHotelConfirmationPageGivesItsStay() throws {
        let found = try Extraction.extract(Self.page, contextDate: ISO8601DateFormatter().date(from: "2026-12-28T12:00:00Z")!)
        let stay = try XCTUnwrap(found.first { $0["@type"]?.string == "LodgingReservation" })
        XCTAssertEqual(stay["checkinTime"]?.string, "2027-01-14T15:00:00-05:00")
        XCTAssertEqual(stay["checkoutTime"]?.string, "2027-01-17T11:00:00-05:00")
        XCTAssertEqual(stay["reservationNumber"]?.string, "3521.887.402")
    }

    func testBrokenMarkupNeverFails() {
        for broken in ["<", "<td", "<table><tr><td>a", "<!-- never closed", "<script>no end", "&#xFFFFFFFF; &#0; &#;", "<<<>>>", "</td></tr>"] {
            _ = HTMLText.text(of: broken)
        }
        XCTAssertEqual(HTMLText.text(of: "<p>a</p><p>b</p>"), "a\n\nb", "paragraphs apart, as a reader sees them")
        XCTAssertEqual(HTMLText.decode("&#0;x"), "&#0;x", "NUL is not decoded")
    }
}
