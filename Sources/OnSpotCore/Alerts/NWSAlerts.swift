import Foundation

/// The US National Weather Service's `api.weather.gov/alerts/active`: a GeoJSON FeatureCollection whose features carry
/// CAP's fields as properties, and whose geometry is a GeoJSON polygon ([lon, lat]) or null (the alert then names
/// zones only). Read into the same `CAPAlert` as CAP XML, one per feature; a feature that cannot be read is reported,
/// not fatal to the others.
public enum NWSAlerts {
    public struct Reading: Sendable {
        public var alerts: [CAPAlert]
        /// "feature 3: CAP <severity> has an invalid value: 'Bad'."
        public var problems: [String]
    }

    struct Collection: Decodable {
        var features: [Feature]
    }

    struct Feature: Decodable {
        var geometry: Geometry?
        var properties: Properties
    }

    struct Geometry: Decodable {
        var type: String
        var coordinates: Coordinates
    }

    /// Polygon: [ring][position][lon, lat]; MultiPolygon: [polygon][ring][position][lon, lat].
    enum Coordinates: Decodable {
        case polygon([[[Double]]])
        case multiPolygon([[[[Double]]]])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let rings = try? container.decode([[[Double]]].self) {
                self = .polygon(rings)
            } else if let polygons = try? container.decode([[[[Double]]]].self) {
                self = .multiPolygon(polygons)
            } else {
                self = .other
            }
        }
    }

    struct Reference: Decodable {
        var identifier: String
        var sender: String
        var sent: String
    }

    struct Properties: Decodable {
        var id: String
        var areaDesc: String?
        var sent: String
        var effective: String?
        var expires: String?
        var ends: String?
        var status: String
        var messageType: String
        var severity: String
        var certainty: String
        var urgency: String
        var event: String
        var sender: String?
        var senderName: String?
        var headline: String?
        var description: String?
        var instruction: String?
        var references: [Reference]?
        var affectedZones: [String]?
    }

    /// A zone as `api.weather.gov/zones/{type}/{id}` serves it: a GeoJSON Feature whose geometry is the zone's shape.
    struct Zone: Decodable {
        var geometry: Geometry?
    }

    /// The most zones one alert may name (a hurricane warning names a few dozen), and the longest zone address kept.
    public static let maximumZones = 200
    public static let maximumZoneURLLength = 500
    /// The largest zone document read (a coastal zone's detailed shape is a few hundred kilobytes).
    public static let maximumZoneBytes = 10_000_000

    /// How many vertices a zone keeps in all: a zone is drawn to the metre, an alert is matched to towns and hotels.
    /// It keeps the stored alert small, since the console's banners read it.
    public static let zoneVertexBudget = 1_500

    /// A zone's shape, its outer rings as polygons thinned to `zoneVertexBudget`; a zone without geometry or with
    /// another shape is refused.
    public static func zonePolygons(_ data: Data) throws -> [GeoPolygon] {
        guard data.count <= maximumZoneBytes else { throw CAPAlert.ParseError.tooLarge }
        guard let zone = try? JSONDecoder().decode(Zone.self, from: data) else {
            throw CAPAlert.ParseError.invalid(element: "zone", value: "not a GeoJSON Feature")
        }
        guard let geometry = zone.geometry else { throw CAPAlert.ParseError.invalid(element: "geometry", value: "null") }
        return try polygons(of: geometry, vertexBudget: zoneVertexBudget)
    }

    /// A closed GeoJSON ring with at most `maximum` positions (at least four): every k-th kept, in order, closed again.
    static func thinned(_ ring: [[Double]], to maximum: Int) -> [[Double]] {
        let limit = max(4, maximum)
        guard ring.count > limit, let first = ring.first else { return ring }
        let step = (ring.count - 1 + limit - 2) / (limit - 1)
        var kept = stride(from: 0, to: ring.count - 1, by: max(1, step)).map { ring[$0] }
        kept.append(first)
        return kept.count >= 4 ? kept : ring
    }

    /// Polygon or MultiPolygon, outer rings only ([lon, lat]), thinned to a vertex budget shared among them when one is
    /// given; anything else is refused.
    static func polygons(of geometry: Geometry, vertexBudget: Int? = nil) throws -> [GeoPolygon] {
        var rings: [[[Double]]]
        switch geometry.coordinates {
        case .polygon(let polygon): rings = Array(polygon.prefix(1))
        case .multiPolygon(let many): rings = many.compactMap(\.first)
        case .other: throw CAPAlert.ParseError.invalid(element: "geometry", value: geometry.type)
        }
        if let vertexBudget, !rings.isEmpty { rings = rings.map { thinned($0, to: vertexBudget / rings.count) } }
        return try rings.map { ring in
            guard let polygon = GeoPolygon(geoJSONRing: ring) else {
                throw CAPAlert.ParseError.invalid(element: "geometry", value: geometry.type)
            }
            return polygon
        }
    }

    public static func parse(_ data: Data) throws -> Reading {
        guard data.count <= 50_000_000 else { throw CAPAlert.ParseError.tooLarge }
        let collection = try JSONDecoder().decode(Collection.self, from: data)
        var reading = Reading(alerts: [], problems: [])
        for (index, feature) in collection.features.enumerated() {
            do {
                reading.alerts.append(try alert(feature))
            } catch let error as CAPAlert.ParseError {
                reading.problems.append("feature \(index): \(error.description)")
            }
        }
        return reading
    }

    static func alert(_ feature: Feature) throws -> CAPAlert {
        let p = feature.properties
        func value<T: RawRepresentable>(_ text: String, _ name: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: text) else { throw CAPAlert.ParseError.invalid(element: name, value: text) }
            return value
        }
        let polygons = try feature.geometry.map { try Self.polygons(of: $0) } ?? []
        // Without geometry the alert names zones only (most NWS warnings, hurricanes included): their addresses are
        // kept so their shapes can be fetched.
        var zones: [String] = []
        if polygons.isEmpty {
            zones = (p.affectedZones ?? []).filter { $0.count <= maximumZoneURLLength && ($0.hasPrefix("https://") || $0.hasPrefix("http://")) }
            guard zones.count <= maximumZones else {
                throw CAPAlert.ParseError.invalid(element: "affectedZones", value: "\(zones.count) zones")
            }
        }
        let info = CAPAlert.Info(
            language: "en-US", event: p.event, urgency: try value(p.urgency, "urgency"), severity: try value(p.severity, "severity"),
            certainty: try value(p.certainty, "certainty"), effective: try p.effective.map { try CAPAlert.date($0, element: "effective") },
            expires: try (p.ends ?? p.expires).map { try CAPAlert.date($0, element: "expires") }, headline: p.headline,
            description: p.description, instruction: p.instruction,
            areas: [CAPAlert.Area(description: p.areaDesc ?? "", polygons: polygons, circles: [], zoneURLs: zones)])
        return CAPAlert(
            identifier: try CAPAlert.checkName(p.id, element: "identifier"),
            sender: try CAPAlert.checkName(p.sender ?? p.senderName ?? "w-nws.webmaster@noaa.gov", element: "sender"),
            sent: try CAPAlert.date(p.sent, element: "sent"),
            status: p.status, messageType: try value(p.messageType, "msgType"),
            references: (p.references ?? []).map { CAPAlert.Reference(sender: $0.sender, identifier: $0.identifier, sent: $0.sent) },
            infos: [info])
    }
}
