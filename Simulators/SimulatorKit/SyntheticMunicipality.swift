import PropertyWatchCore

/// A made-up municipality of identical schools, for load tests and benchmarks: each site has a
/// panel (heartbeat every 60 s), two PIRs, a door and a smoke detector in one zone, and `units`
/// patrol units are on duty around the clock. Site ids are `s0`, `s1`, …; units `P1`, `P2`, ….
public enum SyntheticMunicipality {
    public static func configuration(sites: Int, units: Int = 2) -> WatchConfiguration {
        let list = (0..<sites).map { i in
            SiteConfiguration(
                id: SiteID("s\(i)"), name: "Site \(i)", kind: .school, address: "Vägen \(i), Bro",
                location: Coordinate(latitude: 59.45 + Double(i % 100) * 0.001, longitude: 17.6 + Double(i / 100) * 0.001),
                zones: [ZoneConfiguration(id: "a", name: "A")],
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 60),
                    DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a"),
                    DeviceConfiguration(id: "pir-2", kind: .pir, zone: "a"),
                    DeviceConfiguration(id: "door", kind: .door, zone: "a"),
                    DeviceConfiguration(id: "smoke", kind: .smoke, zone: "a"),
                ])
        }
        let numbers = 1...max(1, units)
        let ids = numbers.map { UnitID("P\($0)") }
        let always = ShiftConfiguration(id: "always", units: ids, weekdays: Set(1...7), start: LocalTime(hour: 12), end: LocalTime(hour: 11, minute: 59))
        return WatchConfiguration(
            sites: list,
            patrol: PatrolConfiguration(units: numbers.map { UnitConfiguration(id: UnitID("P\($0)"), callSign: "\(30 + $0)") }, shifts: [always]))
    }
}
