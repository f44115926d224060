import Foundation

extension TravelTimeModel {
    /// Mean Earth radius in metres (IUGG).
    static let earthRadiusMeters = 6_371_008.8

    /// Great-circle (haversine) distance in metres.
    public static func distanceMeters(_ a: Coordinate, _ b: Coordinate) -> Double {
        let rad = Double.pi / 180
        let dLat = (b.latitude - a.latitude) * rad
        let dLon = (b.longitude - a.longitude) * rad
        let h = sin(dLat / 2) * sin(dLat / 2)
            + cos(a.latitude * rad) * cos(b.latitude * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusMeters * asin(min(1, sqrt(h)))
    }

    /// Driving time: great-circle distance × road factor ÷ average speed, to the millisecond.
    public func travelTime(from a: Coordinate, to b: Coordinate) -> Milliseconds {
        guard averageSpeed > 0 else { return Milliseconds(0) }
        let km = Self.distanceMeters(a, b) / 1000 * roadFactor
        return Milliseconds(Int64((km / averageSpeed * 3_600_000).rounded()))
    }
}
