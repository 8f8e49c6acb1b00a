import Foundation

/// schema.org microdata (`itemscope`, `itemtype`, `itemprop`) anywhere in an HTML paste, as Gmail's markup and older
/// booking emails carry it, read into the same JSON-LD shape as script blocks.
enum Microdata {
    private static let tag = Pattern(#"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#, caseInsensitive: false)
    private static let attribute = Pattern(#"([a-zA-Z\-:]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"#, caseInsensitive: false)
    private static let voidElements: Set<String> = ["meta", "link", "img", "br", "input", "hr", "source", "area", "base", "col", "embed", "wbr"]

    private struct Open {
        let name: String
        let item: Int?
        let property: String?
        let parent: Int?
        let textStart: Int?
    }

    static func items(in html: String) -> [JSONValue] {
        guard html.range(of: "itemscope", options: .caseInsensitive) != nil else { return [] }
        let ns = html as NSString
        var items: [[String: JSONValue]] = []
        var itemDepth: [Int] = []
        var roots: [Int] = []
        var stack: [Open] = []
        func currentItem() -> Int? { stack.last(where: { $0.item != nil })?.item }
        func assign(_ value: JSONValue, _ property: String, to item: Int) {
            for name in property.split(separator: " ").map(String.init) {
                if let existing = items[item][name] {
                    if case .array(let values) = existing {
                        items[item][name] = .array(values + [value])
                    } else {
                        items[item][name] = .array([existing, value])
                    }
                } else {
                    items[item][name] = value
                }
            }
        }
        for m in tag.matches(html) {
            let closing = m.group(1, in: html) == "/"
            let name = m.group(2, in: html)!.lowercased()
            if closing {
                guard let at = stack.lastIndex(where: { $0.name == name }) else { continue }
                while stack.count > at {
                    let element = stack.removeLast()
                    finish(element, endingAt: m.range.location)
                }
                continue
            }
            let rawAttributes = m.group(3, in: html) ?? ""
            var attributes: [String: String] = [:]
            for a in attribute.matches(rawAttributes) {
                let key = a.group(1, in: rawAttributes)!.lowercased()
                attributes[key] = a.group(2, in: rawAttributes) ?? a.group(3, in: rawAttributes) ?? a.group(4, in: rawAttributes) ?? ""
            }
            let parent = currentItem()
            let property = attributes["itemprop"]
            var item: Int?
            // Items nest at most 16 deep: the tree is later walked recursively (merging, encoding), and no
            // reservation nests deeper than a handful of levels.
            let depth = parent.map { itemDepth[$0] + 1 } ?? 0
            if attributes["itemscope"] != nil, depth < 16 {
                let type = (attributes["itemtype"] ?? "").split(separator: "/").last.map(String.init) ?? ""
                items.append(["@type": .string(type)])
                itemDepth.append(depth)
                item = items.count - 1
                if property == nil || parent == nil { roots.append(item!) }
            }
            let explicit = attributes["content"] ?? attributes["datetime"] ?? attributes["href"] ?? attributes["src"]
            let selfClosing = voidElements.contains(name) || rawAttributes.hasSuffix("/")
            let open = Open(
                name: name, item: item, property: property, parent: parent,
                textStart: item == nil && property != nil && explicit == nil ? m.range.location + m.range.length : nil)
            if item == nil, let property, let parent, let explicit { assign(.string(decode(explicit)), property, to: parent) }
            if selfClosing { finish(open, endingAt: m.range.location + m.range.length) } else { stack.append(open) }
        }
        while let element = stack.popLast() { finish(element, endingAt: ns.length) }

        func finish(_ element: Open, endingAt end: Int) {
            guard let property = element.property, let parent = element.parent else { return }
            if let item = element.item { assign(.object(items[item]), property, to: parent); return }
            if let start = element.textStart, end >= start {
                // A property's text is short; reading at most 4,000 characters keeps nested elements linear, not quadratic.
                let inner = ns.substring(with: NSRange(location: start, length: min(end - start, 4_000)))
                let text = tag.regex.stringByReplacingMatches(
                    in: inner, range: NSRange(location: 0, length: (inner as NSString).length), withTemplate: " ")
                assign(
                    .string(
                        decode(text).replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
                            .trimmingCharacters(in: .whitespaces)), property, to: parent)
            }
        }
        return roots.map { JSONValue.object(items[$0]) }.filter { Extraction.reservationTypes.contains($0["@type"]?.string ?? "") }
            .map { .object(["@context": .string("http://schema.org")]).completed(by: $0) }
    }

    private static func decode(_ text: String) -> String {
        var s = text
        for (entity, value) in ["&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&amp;": "&"] {
            s = s.replacingOccurrences(of: entity, with: value)
        }
        return s
    }

    /// Google's older property names, renamed to the current schema.org ones.
    static func modernised(_ item: JSONValue) -> JSONValue {
        guard case .object(var o) = item else { return item }
        for (old, new) in [
            "checkinDate": "checkinTime", "checkoutDate": "checkoutTime", "pickUpTime": "pickupTime", "dropOffTime": "dropoffTime",
            "pickUpLocation": "pickupLocation", "dropOffLocation": "dropoffLocation"
        ] where o[new] == nil {
            if let value = o.removeValue(forKey: old) { o[new] = value }
        }
        return .object(o)
    }
}
