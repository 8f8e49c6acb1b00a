/// Cells of the CSV files agencies open in a spreadsheet. Every cell is quoted, and any part of it that a spreadsheet
/// could start as a formula (`= + - @`, tab, carriage return) at the start of the cell or after a `;` (the separator
/// of French and Portuguese spreadsheets) is prefixed with `'`, so an exported traveller name never runs as a formula.
public enum CSVExport {
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    public static func neutralised(_ cell: String) -> String {
        var out = ""
        out.reserveCapacity(cell.count + 2)
        var atStart = true
        for character in cell {
            if atStart, formulaStarts.contains(character) { out.append("'") }
            // Spaces before a formula still start one in most spreadsheets: stay "at the start" across them.
            atStart = character == ";" || (atStart && character == " ")
            out.append(character)
        }
        return out
    }

    public static func cell(_ value: String) -> String {
        "\"" + neutralised(value).replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") }
}
