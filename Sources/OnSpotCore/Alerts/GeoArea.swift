import Foundation

/// A place on Earth in degrees (WGS 84), as alerts and destinations give them.
public struct GeoPoint: Equatable, Hashable, Sendable {
    public let latitude: Double
    public let longitude: Double

    /// Nil outside −90…90 / −180…180 or not finite: a feed's bad coordinates never reach the geometry.
    public init?(latitude: Double, longitude: Double) {
        guard latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A latitude/longitude box whose longitudes may run past ±180 (a box across the antimeridian, e.g. 170…190): the
/// cheap first filter before point-in-polygon, usable as a database range once normalised.
public struct GeoBoundingBox: Equatable, Sendable {
    public let minLatitude: Double
    public let maxLatitude: Double
    public let minLongitude: Double
    public let maxLongitude: Double

    public func contains(_ point: GeoPoint) -> Bool {
        guard (minLatitude...maxLatitude).contains(point.latitude) else { return false }
        return [point.longitude, point.longitude + 360, point.longitude - 360].contains { (minLongitude...maxLongitude).contains($0) }
    }

    /// The box grown by `degrees` on every side: places near an area, for a first cheap filter.
    public func expanded(by degrees: Double) -> GeoBoundingBox {
        GeoBoundingBox(
            minLatitude: max(-90, minLatitude - degrees), maxLatitude: min(90, maxLatitude + degrees), minLongitude: minLongitude - degrees,
            maxLongitude: maxLongitude + degrees)
    }

    /// True when the box crosses the antimeridian (its longitudes leave −180…180).
    public var crossesAntimeridian: Bool { minLongitude < -180 || maxLongitude > 180 }
}

/// A polygon of an alert's area. CAP writes "lat,lon" pairs separated by spaces; GeoJSON writes [lon, lat] arrays:
/// both are read here into one form. A ring that crosses the antimeridian (a Pacific cyclone's cone from 178°E to
/// 176°W) is unwrapped into continuous longitudes, so the box and the containment test hold across it.
public struct GeoPolygon: Equatable, Sendable {
    /// Longitudes unwrapped: consecutive vertices never differ by more than 180°.
    public let vertices: [(latitude: Double, longitude: Double)]

    public static func == (a: GeoPolygon, b: GeoPolygon) -> Bool {
        a.vertices.count == b.vertices.count && zip(a.vertices, b.vertices).allSatisfy { $0.latitude == $1.latitude && $0.longitude == $1.longitude }
    }

    /// At most this many vertices: real warning polygons have tens to a few hundred.
    public static let maximumVertices = 10_000

    public init?(_ points: [GeoPoint]) {
        var ring = points
        if ring.count > 1, ring.first == ring.last { ring.removeLast() }
        guard ring.count >= 3, ring.count <= Self.maximumVertices, let first = ring.first else { return nil }
        var unwrapped = [(latitude: first.latitude, longitude: first.longitude)]
        for point in ring.dropFirst() {
            var longitude = point.longitude
            let previous = unwrapped[unwrapped.count - 1].longitude
            while longitude - previous > 180 { longitude -= 360 }
            while previous - longitude > 180 { longitude += 360 }
            unwrapped.append((point.latitude, longitude))
        }
        vertices = unwrapped
    }

    /// CAP 1.2 `<polygon>`: "lat,lon lat,lon …", first and last pair equal (a ring), at least four pairs.
    public init?(capPolygon text: String) {
        guard text.utf8.count <= 400_000 else { return nil }
        var points: [GeoPoint] = []
        for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            let parts = pair.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let latitude = Double(parts[0]), let longitude = Double(parts[1]),
                let point = GeoPoint(latitude: latitude, longitude: longitude)
            else { return nil }
            points.append(point)
        }
        guard points.count >= 4, points.first == points.last else { return nil }
        self.init(points)
    }

    /// A GeoJSON linear ring: [[lon, lat], …] (RFC 7946 §3.1.6), closed.
    public init?(geoJSONRing positions: [[Double]]) {
        var points: [GeoPoint] = []
        for position in positions {
            guard position.count >= 2, let point = GeoPoint(latitude: position[1], longitude: position[0]) else { return nil }
            points.append(point)
        }
        guard points.count >= 4, points.first == points.last else { return nil }
        self.init(points)
    }

    public var boundingBox: GeoBoundingBox {
        let latitudes = vertices.map(\.latitude)
        let longitudes = vertices.map(\.longitude)
        return GeoBoundingBox(
            minLatitude: latitudes.min() ?? 0, maxLatitude: latitudes.max() ?? 0, minLongitude: longitudes.min() ?? 0,
            maxLongitude: longitudes.max() ?? 0)
    }

    /// Point in polygon (even–odd rule, ray cast along the latitude), tried at the point's longitude and one turn either
    /// side so that an unwrapped ring is met where it lies. Points on an edge may fall either way.
    public func contains(_ point: GeoPoint) -> Bool {
        guard boundingBox.contains(point) else { return false }
        return [point.longitude, point.longitude + 360, point.longitude - 360].contains { containsUnwrapped(point.latitude, $0) }
    }

    private func containsUnwrapped(_ latitude: Double, _ longitude: Double) -> Bool {
        var inside = false
        var j = vertices.count - 1
        for i in vertices.indices {
            let (yi, xi) = (vertices[i].latitude, vertices[i].longitude)
            let (yj, xj) = (vertices[j].latitude, vertices[j].longitude)
            if (yi > latitude) != (yj > latitude), longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}

/// CAP 1.2 `<circle>`: "lat,lon radius" with the radius in kilometres.
public struct GeoCircle: Equatable, Sendable {
    public let center: GeoPoint
    public let radiusKilometres: Double

    public init?(capCircle text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let coordinates = parts.first?.split(separator: ",") ?? []
        guard parts.count == 2, coordinates.count == 2, let latitude = Double(coordinates[0]), let longitude = Double(coordinates[1]),
            let center = GeoPoint(latitude: latitude, longitude: longitude), let radius = Double(parts[1]), radius.isFinite,
            (0...20_040).contains(radius)
        else { return nil }
        self.center = center
        self.radiusKilometres = radius
    }

    /// Great-circle distance (haversine, mean Earth radius).
    public func contains(_ point: GeoPoint) -> Bool {
        let toRadians = Double.pi / 180
        let dLat = (point.latitude - center.latitude) * toRadians
        let dLon = (point.longitude - center.longitude) * toRadians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(center.latitude * toRadians) * cos(point.latitude * toRadians) * sin(dLon / 2) * sin(dLon / 2)
        let distance = 2 * 6_371.0088 * atan2(sqrt(a), sqrt(max(0, 1 - a)))
        return distance <= radiusKilometres
    }
}

extension GeoCircle {
    public init?(center: GeoPoint, radiusKilometres: Double) {
        guard radiusKilometres.isFinite, (0...20_040).contains(radiusKilometres) else { return nil }
        self.center = center
        self.radiusKilometres = radiusKilometres
    }

    /// A box around the circle (a degree of latitude is 111 km; longitude degrees shrink with the cosine).
    public var boundingBox: GeoBoundingBox {
        let dLat = radiusKilometres / 111.0
        let cosine = max(0.01, cos(center.latitude * Double.pi / 180))
        let dLon = min(180, radiusKilometres / (111.0 * cosine))
        return GeoBoundingBox(
            minLatitude: max(-90, center.latitude - dLat), maxLatitude: min(90, center.latitude + dLat),
            minLongitude: center.longitude - dLon, maxLongitude: center.longitude + dLon)
    }
}

/// An alert's areas as the server stores them (JSON): polygons as [latitude, longitude] pairs, circles as
/// [latitude, longitude, radius km]. Read back through the same checks as a feed's.
public struct StoredAlertAreas: Codable, Equatable, Sendable {
    public struct Area: Codable, Equatable, Sendable {
        public var description: String
        public var polygons: [[[Double]]]
        public var circles: [[Double]]
    }

    public var areas: [Area]

    public init(_ areas: [CAPAlert.Area]) {
        self.areas = areas.map { area in
            Area(
                description: area.description,
                polygons: area.polygons.map { polygon in polygon.vertices.map { [$0.latitude, $0.longitude] } },
                circles: area.circles.map { [$0.center.latitude, $0.center.longitude, $0.radiusKilometres] })
        }
    }

    public var capAreas: [CAPAlert.Area] {
        areas.map { area in
            CAPAlert.Area(
                description: area.description,
                polygons: area.polygons.compactMap { ring in
                    // Stored longitudes are unwrapped (may pass ±180): folded back before the checks, unwrapped again there.
                    GeoPolygon(
                        ring.compactMap { pair in
                            pair.count == 2 ? GeoPoint(latitude: pair[0], longitude: Self.fold(pair[1])) : nil
                        })
                },
                circles: area.circles.compactMap { c in
                    guard c.count == 3, let center = GeoPoint(latitude: c[0], longitude: c[1]) else { return nil }
                    return GeoCircle(center: center, radiusKilometres: c[2])
                })
        }
    }

    static func fold(_ longitude: Double) -> Double {
        guard longitude.isFinite else { return longitude }
        var value = longitude
        while value > 180 { value -= 360 }
        while value < -180 { value += 360 }
        return value
    }

    /// The box around every area, nil when there is no area to place (an alert naming zones only).
    public static func boundingBox(_ areas: [CAPAlert.Area]) -> GeoBoundingBox? {
        let boxes = areas.flatMap { $0.polygons.map(\.boundingBox) + $0.circles.map(\.boundingBox) }
        guard let first = boxes.first else { return nil }
        return boxes.dropFirst().reduce(first) { a, b in
            GeoBoundingBox(
                minLatitude: min(a.minLatitude, b.minLatitude), maxLatitude: max(a.maxLatitude, b.maxLatitude),
                minLongitude: min(a.minLongitude, b.minLongitude), maxLongitude: max(a.maxLongitude, b.maxLongitude))
        }
    }
}
