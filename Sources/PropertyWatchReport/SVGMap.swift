import PropertyWatchCore

/// Projects WGS84 coordinates onto an SVG canvas (equirectangular, scaled by the cosine of
/// the middle latitude, which is exact enough for one municipality).
public struct SVGMap: Sendable {
    public let width: Double
    public let height: Double
    let minLat, maxLat, minLon, maxLon: Double
    let scale: Double
    let padding = 30.0
    /// Room on the right for site names.
    let labelRoom = 130.0

    public init(coordinates: [Coordinate], width: Double = 640, height: Double = 420) {
        self.width = width
        self.height = height
        let lats = coordinates.map(\.latitude), lons = coordinates.map(\.longitude)
        minLat = (lats.min() ?? 59.5) - 0.002
        maxLat = (lats.max() ?? 59.6) + 0.002
        minLon = (lons.min() ?? 17.5) - 0.004
        maxLon = (lons.max() ?? 17.7) + 0.004
        let cosLat = cos(((minLat + maxLat) / 2) * .pi / 180)
        scale = min((width - padding - labelRoom) / ((maxLon - minLon) * cosLat), (height - 2 * padding) / (maxLat - minLat))
    }

    /// The canvas point of a coordinate.
    public func point(_ c: Coordinate) -> (x: Double, y: Double) {
        let cosLat = cos(((minLat + maxLat) / 2) * .pi / 180)
        return (padding + (c.longitude - minLon) * cosLat * scale, height - padding - (c.latitude - minLat) * scale)
    }
}

/// Escapes text for HTML and SVG.
public func htmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
