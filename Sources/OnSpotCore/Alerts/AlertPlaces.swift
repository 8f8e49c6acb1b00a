import Foundation

extension DestinationCatalog {
    /// Where each shipped destination lies (its main city or area, WGS 84): what a weather alert's area is matched
    /// against when a trip names no place of its own there.
    public static let centres: [String: GeoPoint] = {
        let rows: [(String, Double, Double)] = [
            ("us-nyc", 40.7128, -74.0060), ("us-bos", 42.3601, -71.0589), ("us-was", 38.9072, -77.0369), ("us-mia", 25.7617, -80.1918),
            ("us-orl", 28.5384, -81.3789), ("us-msy", 29.9511, -90.0715), ("us-chi", 41.8781, -87.6298), ("us-den", 39.7392, -104.9903),
            ("us-gcn", 36.0544, -112.1401), ("us-las", 36.1699, -115.1398), ("us-lax", 34.0522, -118.2437), ("us-sfo", 37.7749, -122.4194),
            ("us-sea", 47.6062, -122.3321), ("us-hnl", 21.3069, -157.8583), ("us-anc", 61.2181, -149.9003), ("ca-yvr", 49.2827, -123.1207),
            ("ca-yyc", 51.0447, -114.0719), ("ca-yyz", 43.6532, -79.3832), ("ca-yul", 45.5019, -73.5674), ("ca-yqb", 46.8139, -71.2080),
            ("ca-yhz", 44.6488, -63.5752), ("ca-yyt", 47.5615, -52.7126), ("bs-nas", 25.0443, -77.3504), ("bs-exu", 23.5250, -75.8300),
            ("mx-cun", 21.1619, -86.8515), ("mx-mex", 19.4326, -99.1332), ("mx-oax", 17.0732, -96.7266), ("mx-sjd", 22.8905, -109.9167),
            ("au-syd", -33.8688, 151.2093), ("au-mel", -37.8136, 144.9631), ("au-cns", -16.9186, 145.7781), ("au-adl", -34.9285, 138.6007),
            ("au-per", -31.9505, 115.8605), ("au-drw", -12.4634, 130.8456), ("nz-akl", -36.8485, 174.7633), ("nz-zqn", -45.0312, 168.6626),
            ("br-rio", -22.9068, -43.1729), ("br-sao", -23.5505, -46.6333), ("br-ssa", -12.9777, -38.5016), ("br-mao", -3.1190, -60.0217)
        ]
        var centres: [String: GeoPoint] = [:]
        for (code, latitude, longitude) in rows { if let point = GeoPoint(latitude: latitude, longitude: longitude) { centres[code] = point } }
        return centres
    }()
}

/// The places of a trip a weather alert is matched against: the airports and cities its itinerary names in the
/// destination's countries (a hotel's address "Ocean Drive, Miami Beach" → Miami), else the destination's centre.
/// City-level on purpose: warning areas are counties and coasts, not streets, and no geocoder runs offline.
public enum AlertPlaces {
    /// Points named by the texts of a trip's segments, within the given countries (ISO 3166-1 alpha-2).
    public static func points(in texts: [String], countries: Set<String>) -> [GeoPoint] {
        guard !countries.isEmpty else { return [] }
        let indexes = countries.sorted().compactMap { citiesByCountry[$0] }
        var found: [String: GeoPoint] = [:]
        var order: [String] = []
        func add(_ key: String, _ airport: Airport) {
            guard found[key] == nil, let point = GeoPoint(latitude: airport.latitude, longitude: airport.longitude) else { return }
            found[key] = point
            order.append(key)
        }
        for text in texts {
            let words = text.prefix(4_000).split { !$0.isLetter && !$0.isNumber }.map(String.init)
            for word in words where word.count == 3 && word == word.uppercased() && word.allSatisfy(\.isLetter) {
                if let airport = ReferenceData.airports[word], countries.contains(airport.country) { add(word, airport) }
            }
            let folded = words.map { $0.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil) }
            for size in [3, 2, 1] where folded.count >= size {
                for start in 0...(folded.count - size) {
                    let name = folded[start..<(start + size)].joined(separator: " ")
                    guard name.count >= 4 else { continue }
                    if let airport = indexes.lazy.compactMap({ $0[name] }).first { add("city:" + name, airport) }
                }
            }
        }
        return order.compactMap { found[$0] }
    }

    /// Airports' cities by country and folded name, built once; of several airports of one city, the first IATA code in
    /// order, so the choice is the same in every process.
    static let citiesByCountry: [String: [String: Airport]] = {
        var index: [String: [String: Airport]] = [:]
        for code in ReferenceData.airports.keys.sorted() {
            guard let airport = ReferenceData.airports[code] else { continue }
            let city = airport.city.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
            if !city.isEmpty, index[airport.country]?[city] == nil { index[airport.country, default: [:]][city] = airport }
        }
        return index
    }()
}
