import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An official alert in OASIS CAP 1.2 (weather services, GDACS): what OnSpot keeps of it to match it to destinations
/// and travellers and to tell them. Unknown elements are ignored; a message missing what the standard requires is
/// refused with the element it lacks.
public struct CAPAlert: Equatable, Sendable {
    public enum MessageType: String, Sendable { case alert = "Alert", update = "Update", cancel = "Cancel", ack = "Ack", error = "Error" }
    public enum Severity: String, Sendable, Comparable {
        case extreme = "Extreme", severe = "Severe", moderate = "Moderate", minor = "Minor", unknown = "Unknown"
        var rank: Int { [.extreme: 4, .severe: 3, .moderate: 2, .minor: 1][self] ?? 0 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
    public enum Urgency: String, Sendable {
        case immediate = "Immediate", expected = "Expected", future = "Future", past = "Past", unknown = "Unknown"
    }
    public enum Certainty: String, Sendable {
        case observed = "Observed", likely = "Likely", possible = "Possible", unlikely = "Unlikely", unknown = "Unknown"
    }

    /// A message this one updates or cancels: CAP's `references` is "sender,identifier,sent" triples separated by spaces.
    public struct Reference: Equatable, Sendable {
        public let sender: String
        public let identifier: String
        public let sent: String

        public init(sender: String, identifier: String, sent: String) {
            self.sender = sender
            self.identifier = identifier
            self.sent = sent
        }
    }

    public struct Area: Equatable, Sendable {
        public var description: String
        public var polygons: [GeoPolygon]
        public var circles: [GeoCircle]
        /// Where the area's shape is published when the message carries none (NWS `affectedZones`): fetched and
        /// turned into polygons before the alert is kept.
        public var zoneURLs: [String]

        public init(description: String, polygons: [GeoPolygon], circles: [GeoCircle], zoneURLs: [String] = []) {
            self.description = description
            self.polygons = polygons
            self.circles = circles
            self.zoneURLs = zoneURLs
        }

        /// The area still needs its zones' shapes: it names zones and has no shape of its own.
        public var awaitsZones: Bool { polygons.isEmpty && circles.isEmpty && !zoneURLs.isEmpty }

        public func contains(_ point: GeoPoint) -> Bool {
            polygons.contains { $0.contains(point) } || circles.contains { $0.contains(point) }
        }
    }

    public struct Info: Equatable, Sendable {
        public var language: String
        public var event: String
        public var urgency: Urgency
        public var severity: Severity
        public var certainty: Certainty
        public var effective: Date?
        public var expires: Date?
        public var headline: String?
        public var description: String?
        public var instruction: String?
        public var areas: [Area]

        public init(
            language: String, event: String, urgency: Urgency, severity: Severity, certainty: Certainty, effective: Date?, expires: Date?,
            headline: String?, description: String?, instruction: String?, areas: [Area]
        ) {
            self.language = language
            self.event = event
            self.urgency = urgency
            self.severity = severity
            self.certainty = certainty
            self.effective = effective
            self.expires = expires
            self.headline = headline
            self.description = description
            self.instruction = instruction
            self.areas = areas
        }
    }

    public var identifier: String
    public var sender: String
    public var sent: Date
    public var status: String
    public var messageType: MessageType
    public var references: [Reference]
    public var infos: [Info]

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case tooLarge
        case notXML(String)
        case missing(String)
        case invalid(element: String, value: String)

        public var description: String {
            switch self {
            case .tooLarge: "A CAP message is at most \(CAPAlert.maximumBytes) bytes."
            case .notXML(let reason): "Not a CAP XML document: \(reason)"
            case .missing(let element): "CAP message without <\(element)>."
            case .invalid(let element, let value): "CAP <\(element)> has an invalid value: '\(value.prefix(80))'."
            }
        }
    }

    public static let maximumBytes = 2_000_000
    /// A message is named by its sender and identifier; longer ones are refused (CAP sets no bound, real ones are under
    /// a hundred characters), so what is kept is exactly what later messages reference.
    public static let maximumNameLength = 500

    static func checkName(_ value: String, element: String) throws -> String {
        guard value.count <= maximumNameLength else { throw ParseError.invalid(element: element, value: value) }
        return value
    }

    /// Parses one `<alert>`. External entities are never resolved.
    public static func parse(_ data: Data) throws -> CAPAlert {
        guard data.count <= maximumBytes else { throw ParseError.tooLarge }
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else { throw ParseError.notXML(parser.parserError.map { String(describing: $0) } ?? "unreadable") }
        guard let root = reader.root, root.name == "alert" else { throw ParseError.missing("alert") }
        return try CAPAlert(root)
    }

    /// When the whole message ends: its latest `expires`, nil when an info has none.
    public var expires: Date? {
        let all = infos.map(\.expires)
        guard !all.isEmpty, !all.contains(where: { $0 == nil }) else { return nil }
        return all.compactMap { $0 }.max()
    }

    public init(
        identifier: String, sender: String, sent: Date, status: String, messageType: MessageType, references: [Reference], infos: [Info]
    ) {
        self.identifier = identifier
        self.sender = sender
        self.sent = sent
        self.status = status
        self.messageType = messageType
        self.references = references
        self.infos = infos
    }

    init(_ root: Element) throws {
        func required(_ name: String) throws -> String {
            guard let text = root.text(name), !text.isEmpty else { throw ParseError.missing(name) }
            return text
        }
        identifier = try Self.checkName(try required("identifier"), element: "identifier")
        sender = try Self.checkName(try required("sender"), element: "sender")
        sent = try Self.date(try required("sent"), element: "sent")
        status = try required("status")
        let type = try required("msgType")
        guard let messageType = MessageType(rawValue: type) else { throw ParseError.invalid(element: "msgType", value: type) }
        self.messageType = messageType
        references = try (root.text("references") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { triple in
            let parts = triple.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw ParseError.invalid(element: "references", value: String(triple)) }
            return Reference(sender: parts[0], identifier: parts[1], sent: parts[2])
        }
        if messageType != .alert, references.isEmpty, messageType != .error { throw ParseError.missing("references") }
        infos = try root.children("info").map { info in
            func value<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T where T.RawValue == String {
                guard let text = info.text(name) else { throw ParseError.missing(name) }
                guard let value = T(rawValue: text) else { throw ParseError.invalid(element: name, value: text) }
                return value
            }
            guard let event = info.text("event"), !event.isEmpty else { throw ParseError.missing("event") }
            return Info(
                language: info.text("language") ?? "en-US", event: event, urgency: try value("urgency", Urgency.self),
                severity: try value("severity", Severity.self), certainty: try value("certainty", Certainty.self),
                effective: try info.text("effective").map { try Self.date($0, element: "effective") },
                expires: try info.text("expires").map { try Self.date($0, element: "expires") }, headline: info.text("headline"),
                description: info.text("description"), instruction: info.text("instruction"),
                areas: try info.children("area").map { area in
                    Area(
                        description: area.text("areaDesc") ?? "",
                        polygons: try area.children("polygon").map { element in
                            guard let polygon = GeoPolygon(capPolygon: element.text) else {
                                throw ParseError.invalid(element: "polygon", value: element.text)
                            }
                            return polygon
                        },
                        circles: try area.children("circle").map { element in
                            guard let circle = GeoCircle(capCircle: element.text) else {
                                throw ParseError.invalid(element: "circle", value: element.text)
                            }
                            return circle
                        })
                })
        }
    }

    /// CAP date-times carry an offset and no fractions ("2026-09-02T11:00:00-04:00"); fractions are tolerated.
    static func date(_ text: String, element: String) throws -> Date {
        guard text.count <= 40 else { throw ParseError.invalid(element: element, value: text) }
        // CAP writes UTC as "-00:00" (GDACS does), which Foundation's parser refuses: the same instant as "+00:00".
        let utc = text.hasSuffix("-00:00") ? String(text.dropLast(6)) + "+00:00" : text
        guard let date = LocalDateTime.instant(utc) else { throw ParseError.invalid(element: element, value: text) }
        return date
    }

    /// The parsed tree: elements by local name (namespaces processed), their text trimmed.
    final class Element {
        let name: String
        var text = ""
        var attributes: [String: String] = [:]
        var elements: [Element] = []
        init(name: String) { self.name = name }
        func children(_ name: String) -> [Element] { elements.filter { $0.name == name } }
        func text(_ name: String) -> String? {
            elements.first { $0.name == name }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    final class Reader: NSObject, XMLParserDelegate {
        var root: Element?
        private var stack: [Element] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            // A message nested absurdly deep is not a CAP message.
            guard stack.count < 64 else {
                parser.abortParsing()
                return
            }
            let element = Element(name: elementName)
            element.attributes = attributeDict
            if let parent = stack.last { parent.elements.append(element) } else if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            if let element = stack.popLast() { element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            // A feed's text beyond this is not an alert's: stop growing it rather than hold a hostile megabyte per element.
            guard (stack.last?.text.utf8.count ?? 0) < 500_000 else { return }
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }
    }
}

extension CAPAlert {
    /// The zone addresses its areas wait on (areas that name zones and have no shape of their own).
    public var awaitedZones: Set<String> { Set(infos.flatMap(\.areas).filter(\.awaitsZones).flatMap(\.zoneURLs)) }

    /// The alert with its zones' shapes in place of their addresses. `shapes` holds what could be had, a zone refused
    /// for good mapping to no polygon; nil while a zone is still missing, so the alert waits rather than being kept
    /// with no area.
    public func fillingZones(_ shapes: [String: [GeoPolygon]]) -> CAPAlert? {
        var filled = self
        for i in filled.infos.indices {
            for j in filled.infos[i].areas.indices where filled.infos[i].areas[j].awaitsZones {
                let area = filled.infos[i].areas[j]
                var polygons: [GeoPolygon] = []
                for url in area.zoneURLs {
                    guard let shape = shapes[url] else { return nil }
                    polygons += shape
                }
                filled.infos[i].areas[j].polygons = polygons
                filled.infos[i].areas[j].zoneURLs = []
            }
        }
        return filled
    }
}
