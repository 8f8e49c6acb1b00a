import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A CAP source as weather services publish it: one `<alert>` document, an Atom feed (Environment Canada, MetService,
/// INMET, SMN) whose entries embed an alert or link to one, or an RSS feed (GDACS) whose items do the same. What is
/// embedded is read here; what is linked is returned for the server to fetch, each link once.
public enum CAPFeed {
    public struct Reading: Sendable {
        public var alerts: [CAPAlert] = []
        /// CAP documents the feed links to, in feed order, at most `maximumLinks`.
        public var links: [String] = []
        /// "entry 3: CAP message without <sent>."
        public var problems: [String] = []
    }

    public static let maximumBytes = 20_000_000
    public static let maximumLinks = 500

    public static func read(_ data: Data) throws -> Reading {
        guard data.count <= maximumBytes else { throw CAPAlert.ParseError.tooLarge }
        let reader = CAPAlert.Reader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), let root = reader.root else {
            throw CAPAlert.ParseError.notXML(parser.parserError.map { String(describing: $0) } ?? "unreadable")
        }
        var reading = Reading()
        if root.name == "alert" {
            reading.alerts = [try CAPAlert(root)]
            return reading
        }
        guard ["feed", "rss", "RDF"].contains(root.name) else { throw CAPAlert.ParseError.missing("alert") }
        let entries =
            root.name == "feed" ? root.children("entry") : (root.children("channel").flatMap { $0.children("item") } + root.children("item"))
        for (index, entry) in entries.enumerated() {
            if let embedded = firstAlert(in: entry, depth: 0) {
                do { reading.alerts.append(try CAPAlert(embedded)) } catch let error as CAPAlert.ParseError {
                    reading.problems.append("entry \(index + 1): \(error.description)")
                }
            } else if let link = capLink(of: entry) {
                if reading.links.count < maximumLinks, !reading.links.contains(link) { reading.links.append(link) }
            }
        }
        return reading
    }

    /// An embedded CAP message: an `alert` element holding an `identifier`, at any depth of the entry.
    static func firstAlert(in element: CAPAlert.Element, depth: Int) -> CAPAlert.Element? {
        guard depth < 8 else { return nil }
        for child in element.elements {
            if child.name == "alert", child.text("identifier") != nil { return child }
            if let found = firstAlert(in: child, depth: depth + 1) { return found }
        }
        return nil
    }

    /// The entry's CAP document: an Atom link typed as CAP (else its alternate link), or an RSS item's link.
    static func capLink(of entry: CAPAlert.Element) -> String? {
        let links = entry.children("link")
        let atom = links.compactMap { link -> (href: String, type: String, rel: String)? in
            guard let href = link.attributes["href"] else { return nil }
            return (href, (link.attributes["type"] ?? "").lowercased(), (link.attributes["rel"] ?? "alternate").lowercased())
        }
        if let cap = atom.first(where: { $0.type.contains("cap") }) ?? atom.first(where: { $0.rel == "alternate" }) {
            return usable(cap.href)
        }
        // GDACS's RSS names its CAP file in <gdacs:cap>; a plain RSS item in <link>.
        if let cap = entry.text("cap"), let url = usable(cap) { return url }
        return links.first.flatMap { usable($0.text) }
    }

    static func usable(_ text: String) -> String? {
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.count <= 2_000, url.hasPrefix("https://") || url.hasPrefix("http://") else { return nil }
        return url
    }
}
