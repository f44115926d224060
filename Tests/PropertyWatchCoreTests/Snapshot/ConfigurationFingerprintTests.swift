import Foundation
import Testing
@testable import PropertyWatchCore

/// The configuration fingerprint: equal configurations give equal fingerprints, whatever
/// order their hash tables are in; a change anywhere in them, however deep, gives another.
@Suite struct ConfigurationFingerprintTests {
    /// A configuration with every part a snapshot depends on: sites with zones, devices,
    /// partitions, users, schedules and rule overrides; patrol units, shifts, routes and
    /// escalation chains; Frigate's mapping; the global rules.
    static func configuration(sites count: Int) -> WatchConfiguration {
        let school = SiteSchedule(
            openingHours: [1: [LocalTimeRange(LocalTime(hour: 7), LocalTime(hour: 18))], 2: [LocalTimeRange(LocalTime(hour: 7), LocalTime(hour: 18))],
                           3: [LocalTimeRange(LocalTime(hour: 7), LocalTime(hour: 18))], 6: [LocalTimeRange(LocalTime(hour: 10), LocalTime(hour: 14))]],
            armBy: [1: LocalTime(hour: 19), 5: LocalTime(hour: 17, minute: 30)],
            exceptions: [ScheduleException(from: LocalDate(year: 2026, month: 6, day: 15), to: LocalDate(year: 2026, month: 8, day: 15), kind: .closed, reason: "summer"),
                         ScheduleException(from: LocalDate(year: 2026, month: 1, day: 1), to: LocalDate(year: 2026, month: 12, day: 31), kind: .open, weekdays: [2, 4],
                                           hours: [LocalTimeRange(LocalTime(hour: 18), LocalTime(hour: 21))], reason: "letting")],
            holidays: .swedish)
        var sites: [SiteConfiguration] = []
        for s in 0..<count {
            let partitions = [PartitionConfiguration(id: "1", name: "main", number: 1, panel: "panel"),
                              PartitionConfiguration(id: "2", name: "gym", number: 2, panel: "panel", schedule: SiteSchedule(armGrace: .minutes(5)))]
            var zones: [ZoneConfiguration] = []
            var devices = [DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 300)]
            for z in 0..<8 {
                let zone = ZoneID("z\(z)")
                zones.append(ZoneConfiguration(id: zone, name: "Zone \(z)", number: z + 1, panel: "panel", partition: z < 6 ? "1" : "2",
                                               detector: z % 3 == 0 ? .door : .pir, restoreCancel: z == 2 ? .seconds(20) : nil,
                                               verifiedBy: z > 0 ? [ZoneID("z\(z - 1)")] : [], cameraAlarm: z == 7))
                devices.append(DeviceConfiguration(id: DeviceID("d\(z)"), kind: z % 3 == 0 ? .door : .pir, zone: zone, heartbeatSeconds: z % 2 == 0 ? 600 : nil,
                                                   supervisionCategory: z % 2 == 0 ? .dp2 : nil))
            }
            devices.append(DeviceConfiguration(id: "cam", kind: .camera, cameraZones: ["z0", "z1"], linkedZones: ["z2"], heartbeatSeconds: 120))
            let users = (0..<3).map { u in
                UserConfiguration(id: UserID("u\(u)"), number: u + 10, name: "User \(u)", role: u == 0 ? .cleaner : .staff,
                                  windows: [UserWindow(weekdays: [1, 2, 3, 4, 5], hours: [LocalTimeRange(LocalTime(hour: 5), LocalTime(hour: 8))], partitions: ["1"])])
            }
            var rules: CorrelationRules?
            if s % 10 == 0 {
                var r = CorrelationRules()
                r.restoreCancel = [.door: .seconds(45), .pir: .seconds(10)]
                r.unverifiedIntrusion = .verifyFirst(minutes: 5)
                rules = r
            }
            sites.append(SiteConfiguration(id: SiteID("site-\(s)"), name: "Site \(s)", kind: s % 4 == 0 ? .preschool : .school, address: "Gatan \(s)",
                                           location: Coordinate(latitude: 59.3 + Double(s) / 1000, longitude: 18.0 + Double(s) / 2000),
                                           zones: zones, devices: devices, schedule: school, priority: 1 + s % 5,
                                           partitions: partitions, users: users, rules: rules))
        }
        var escalation = EscalationConfiguration(centralWebhookURL: "https://central.example/alarm", onCallContact: "+46700000000")
        escalation.chains = [.fire: EscalationChain(unitTimeout: .minutes(2), atOnce: [.central, .onCall]), .verifiedIntrusion: EscalationChain(maxUnits: 2)]
        let units = (0..<20).map { UnitConfiguration(id: UnitID("car-\($0)"), callSign: "Bil \($0)", capabilities: ["keys", "dog", "first-aid"]) }
        let patrol = PatrolConfiguration(
            units: units,
            shifts: [ShiftConfiguration(id: "night", units: units.map(\.id), weekdays: [1, 2, 3, 4, 5, 6, 7], start: LocalTime(hour: 18), end: LocalTime(hour: 6))],
            routes: units.indices.map { u in
                RouteConfiguration(id: "route-\(u)", unit: units[u].id, stops: stride(from: u, to: count, by: units.count).map {
                    RouteStop(site: SiteID("site-\($0)"), windowStart: LocalTime(hour: 19), windowEnd: LocalTime(hour: 23), dwellMinutes: 5)
                })
            },
            escalation: escalation)
        var cameras: [String: FrigateMapping.Camera] = [:]
        for s in 0..<count { cameras["cam-\(s)"] = FrigateMapping.Camera(site: SiteID("site-\(s)"), device: "cam", zones: ["yard": "z0", "door": "z1"]) }
        var rules = CorrelationRules()
        rules.priorities[.verifiedIntrusion] = .fire
        return WatchConfiguration(sites: sites, patrol: patrol, frigate: FrigateMapping(cameras: cameras, labels: ["person": .person, "car": .vehicle]), rules: rules)
    }

    @Test func equalConfigurationsGiveEqualFingerprints() {
        // Built twice: every set and dictionary is a new hash table, in another order.
        #expect(ConfigurationFingerprint.of(Self.configuration(sites: 30)) == ConfigurationFingerprint.of(Self.configuration(sites: 30)))
    }

    @Test func aChangeAnywhereChangesTheFingerprint() {
        let base = Self.configuration(sites: 30)
        let fingerprint = ConfigurationFingerprint.of(base)
        let changes: [(String, (inout WatchConfiguration) -> Void)] = [
            ("a zone's restore delay", { $0.sites[7].zones[2].restoreCancel = .seconds(21) }),
            ("a zone's restore delay set", { $0.sites[7].zones[3].restoreCancel = .seconds(20) }),
            ("a device's heartbeat", { $0.sites[3].devices[1].heartbeatSeconds = 601 }),
            ("a device's supervision", { $0.sites[3].devices[2].supervisionCategory = .sp3 }),
            ("a partition's schedule", { $0.sites[5].partitions[1].schedule?.armGrace = .minutes(6) }),
            ("a user's window", { $0.sites[5].users[1].windows[0].weekdays.insert(6) }),
            ("a site's opening hours", { $0.sites[9].schedule.openingHours[4] = [LocalTimeRange(LocalTime(hour: 8), LocalTime(hour: 16))] }),
            ("a schedule exception", { $0.sites[9].schedule.exceptions[1].weekdays = [2] }),
            ("a site's rules", { $0.sites[10].rules?.restoreCancel[.pir] = .seconds(11) }),
            ("a site's rules added", { $0.sites[11].rules = CorrelationRules() }),
            ("the global rules", { $0.rules.floodBurst += 1 }),
            ("a priority", { $0.rules.priorities[.tamper] = .fire }),
            ("a unit's capabilities", { $0.patrol.units[4].capabilities.remove("dog") }),
            ("a shift's days", { $0.patrol.shifts[0].weekdays.remove(7) }),
            ("a route stop", { $0.patrol.routes[2].stops[0].dwellMinutes = 6 }),
            ("an escalation chain", { $0.patrol.escalation.chains[.fire]?.atOnce = [.central] }),
            ("a Frigate zone", { $0.frigate.cameras["cam-4"]?.zones["yard"] = "z2" }),
            ("the decoding limits", { $0.decoding.lateWindow = .hours(12) }),
            ("a site's name", { $0.sites[0].name += " " }),
            ("the order of sites", { $0.sites.swapAt(0, 1) }),
        ]
        for (what, change) in changes {
            var changed = base
            change(&changed)
            #expect(changed != base, "\(what): the test changes nothing")
            #expect(ConfigurationFingerprint.of(changed) != fingerprint, "\(what)")
        }
    }

    /// Prints the cost at 1,000 sites (once per daemon start), best of five, next to the
    /// reflection walk the fingerprint used before (`ReflectionDump` and the same hashing);
    /// the assertion is only that it is repeatable. Run alone for figures:
    /// `swift test --no-parallel --filter costAtAThousandSites`.
    @Test func costAtAThousandSites() {
        let configuration = Self.configuration(sites: 1000)
        func best(_ body: () -> String) -> (String, Double) {
            let clock = ContinuousClock()
            var fastest = Double.infinity
            var result = ""
            for _ in 0..<5 {
                let started = clock.now
                result = body()
                let elapsed = clock.now - started
                fastest = min(fastest, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            return (result, fastest)
        }
        let (first, encoded) = best { ConfigurationFingerprint.of(configuration) }
        let (again, _) = best { ConfigurationFingerprint.of(configuration) }
        let (_, reflected) = best { String(ConfigurationFingerprint.fnv1a128(Array(ReflectionDump.of(configuration).utf8)), radix: 16) }
        print("configuration fingerprint at 1,000 sites: \(String(format: "%.1f", encoded)) ms canonical encoding, \(String(format: "%.1f", reflected)) ms reflection walk")
        #expect(first == again)
    }
}
