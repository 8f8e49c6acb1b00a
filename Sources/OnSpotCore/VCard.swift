/// vCard 4.0 (RFC 6350) for the assistance line, so travellers save the number before they fly.
public enum VCard {
    public static func assistanceLine(
        organisation: String, destination: String, tollFree: String, whatsApp: String,
        email: String, note: String
    ) -> String {
        let lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "FN:\(escape("\(organisation) – \(destination)"))",
            "ORG:\(escape(organisation))",
            "TEL;TYPE=voice;VALUE=uri:tel:\(tollFree)",
            "TEL;TYPE=cell,text;VALUE=uri:tel:\(whatsApp)",
            "EMAIL:\(escape(email))",
            "NOTE:\(escape(note))",
            "END:VCARD"
        ]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ",": out += "\\,"
            case ";": out += "\\;"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }
}
