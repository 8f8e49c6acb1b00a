/// Markup that is safe to send: text is escaped when it becomes `HTML`, so a view cannot forget to.
/// A dozen lines instead of Plot: Plot's component API has no select/option/main, and its typed node
/// contexts cost more compile time on two cores than they save here.
struct HTML: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    let markup: String

    init(markup: String) { self.markup = markup }
    init(stringLiteral text: String) { markup = HTML.escape(text) }
    init(stringInterpolation: DefaultStringInterpolation) { markup = HTML.escape(String(stringInterpolation: stringInterpolation)) }

    static func text(_ s: String) -> HTML { HTML(markup: escape(s)) }
    static func group(_ parts: [HTML]) -> HTML { HTML(markup: parts.map(\.markup).joined()) }
    static let empty = HTML(markup: "")

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

private let voidElements: Set<String> = ["input", "img", "br", "meta", "link", "hr"]

/// `el("a", ["href": url], "label")`: attributes with a nil value are left out, "" renders a bare attribute.
func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: HTML...) -> HTML {
    el(name, attributes, children)
}

func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: [HTML]) -> HTML {
    var out = "<" + name
    for (key, value) in attributes {
        guard let value else { continue }
        out +=
            value.isEmpty && ["required", "checked", "selected", "disabled", "multiple", "autofocus", "readonly", "hidden"].contains(key)
            ? " \(key)" : " \(key)=\"\(HTML.escape(value))\""
    }
    out += ">"
    if voidElements.contains(name) { return HTML(markup: out) }
    for child in children { out += child.markup }
    return HTML(markup: out + "</\(name)>")
}

extension Optional where Wrapped == String {
    /// For boolean attributes: `"checked": flag.attr`.
    static func flag(_ on: Bool) -> String? { on ? "" : nil }
}

extension HTML {
    /// Adds markup inside the page's main element (the layout closes it last).
    func appending(_ extra: HTML) -> HTML {
        guard let range = markup.range(of: "</main>", options: .backwards) else { return self }
        var text = markup
        text.insert(contentsOf: extra.markup, at: range.lowerBound)
        return HTML(markup: text)
    }
}
