import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import Testing

/// A broken configuration and the problem it must produce.
struct BrokenCase: Sendable, CustomTestStringConvertible {
    var yaml: String
    var key: String?
    var line: Int?
    var reason: String
    var severity: ConfigurationError.Severity = .error

    var testDescription: String { "\(key ?? "-"): \(reason)" }
}

/// One valid site, ten lines long, so appended lines start at line 11.
let validBase = """
    sites:
      - id: s1
        name: Skolan
        kind: school
        address: Skolvägen 1
        location: {lat: 59.5, lon: 17.6}
        zones:
          - {id: korridor, name: Korridor}
        devices:
          - {id: panel, kind: panel}
    """

func appending(_ lines: String) -> String { validBase + "\n" + lines }
func prefixing(_ lines: String) -> String { lines + "\n" + validBase }
func replacing(_ old: String, _ new: String) -> String { validBase.replacingOccurrences(of: old, with: new) }

@Suite struct ConfigurationValidationTests {
    static let cases: [BrokenCase] = [
        // Sites, zones and devices.
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir, zone: korridr}"),
                   key: "sites[0].devices[1].zone", line: 11, reason: "unknown zone 'korridr'; did you mean 'korridor'?"),
        BrokenCase(yaml: appending("      - {id: cam-1, kind: camera}"),
                   key: "sites[0].devices[1].camera_zones", line: 11, reason: "a camera needs camera_zones"),
        BrokenCase(yaml: appending("      - {id: cam-1, kind: camera, camera_zones: [korridor], zone: korridor}"),
                   key: "sites[0].devices[1].zone", line: 11, reason: "not zone"),
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir}"),
                   key: "sites[0].devices[1].zone", line: 11, reason: "a pir detector needs the zone it covers"),
        BrokenCase(yaml: appending("      - {id: door-1, kind: door, zone: korridor, linked_zones: [korridor]}"),
                   key: "sites[0].devices[1].linked_zones", line: 11, reason: "only a camera has linked_zones"),
        BrokenCase(yaml: appending("      - {id: panel, kind: panel}"),
                   key: "sites[0].devices[1].id", line: 11, reason: "duplicate device id 'panel'"),
        BrokenCase(yaml: appending("      - {id: sensor, kind: laser, zone: korridor}"),
                   key: "sites[0].devices[1].kind", line: 11, reason: "'laser' is not one of"),
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir, zone: korridor, heartbeat_seconds: 1}"),
                   key: "sites[0].devices[1].heartbeat_seconds", line: 11, reason: "1 is out of range 10…86400"),
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir, zone: korridor, acknowledgements: maybe}"),
                   key: "sites[0].devices[1].acknowledgements", line: 11, reason: "expected true or false"),
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir, zone: korridor, heartbeat_second: 60}"),
                   key: "sites[0].devices[1].heartbeat_second", line: 11, reason: "did you mean 'heartbeat_seconds'?"),
        BrokenCase(yaml: appending("    nmae: Skolan"),
                   key: "sites[0].nmae", line: 11, reason: "unknown key 'nmae'; did you mean 'name'?"),
        BrokenCase(yaml: appending("    priority: 11"),
                   key: "sites[0].priority", line: 11, reason: "11 is out of range 1…10"),
        BrokenCase(yaml: appending("  - {id: s1, name: Igen, kind: school, address: X, location: {lat: 59.5, lon: 17.6}}"),
                   key: "sites[1].id", line: 11, reason: "duplicate site id 's1'"),
        BrokenCase(yaml: appending("  - {id: s2, kind: school, address: X, location: {lat: 59.5, lon: 17.6}}"),
                   key: "sites[1].name", line: 11, reason: "missing required key 'name'"),
        BrokenCase(yaml: appending("    zones: [{id: a}]"),
                   key: nil, line: 7, reason: "duplicate key 'zones'"),  // Yams marks the first
        BrokenCase(yaml: replacing("lat: 59.5", "lat: 95"),
                   key: "sites[0].location.lat", line: 6, reason: "95 is out of range -90…90"),
        BrokenCase(yaml: replacing("lon: 17.6", "lon: east"),
                   key: "sites[0].location.lon", line: 6, reason: "expected a number, found 'east'"),
        BrokenCase(yaml: replacing("{lat: 59.5, lon: 17.6}", "{lat: 17.6, lon: 59.5}"),
                   key: "sites[0].location", line: 6, reason: "outside Sweden", severity: .warning),
        BrokenCase(yaml: replacing("id: s1", "id: bro/huset"),
                   key: "sites[0].id", line: 2, reason: "'bro/huset' is not a valid id"),
        BrokenCase(yaml: replacing("kind: school", "kind: skola"),
                   key: "sites[0].kind", line: 4, reason: "'skola' is not one of school, preschool, civic, office, other"),
        BrokenCase(yaml: replacing("    address: Skolvägen 1\n", ""),
                   key: "sites[0].address", line: 2, reason: "missing required key 'address'"),
        BrokenCase(yaml: replacing("address: Skolvägen 1", "address:"),
                   key: "sites[0].address", line: 2, reason: "'address' has no value"),
        BrokenCase(yaml: replacing("zones:\n      - {id: korridor, name: Korridor}", "zones: {id: korridor}"),
                   key: "sites[0].zones", line: 7, reason: "expected a list, found a mapping"),

        // Schedules.
        BrokenCase(yaml: appending("    opening_hours: {mon: [\"25:00-18:00\"]}"),
                   key: "sites[0].opening_hours.mon[0]", line: 11, reason: "'25:00-18:00' is not a time range"),
        BrokenCase(yaml: appending("    opening_hours:\n      mon: [\"07:00-17:00\"]\n      tue: [\"07:00-07:00\"]"),
                   key: "sites[0].opening_hours.tue[0]", line: 13, reason: "empty range"),
        BrokenCase(yaml: appending("    opening_hours: {tuesday: [\"07:00-18:00\"]}"),
                   key: "sites[0].opening_hours.tuesday", line: 11, reason: "unknown key 'tuesday'; known keys: mon, tue"),
        BrokenCase(yaml: appending("    arm_by: {mon: \"7pm\"}"),
                   key: "sites[0].arm_by.mon", line: 11, reason: "'7pm' is not a time of day"),
        BrokenCase(yaml: appending("    exceptions:\n      - {from: 2026-10-30, to: 2026-10-26, kind: closed}"),
                   key: "sites[0].exceptions[0].to", line: 12, reason: "ends (2026-10-26) before it starts (2026-10-30)"),
        BrokenCase(yaml: appending("    exceptions: [{from: 2026-02-30, kind: closed}]"),
                   key: "sites[0].exceptions[0].from", line: 11, reason: "'2026-02-30' is not a date"),
        BrokenCase(yaml: appending("    exceptions: [{from: 2026-10-26, kind: closed, hours: [\"18:00-21:00\"]}]"),
                   key: "sites[0].exceptions[0].hours", line: 11, reason: "hours only apply to kind open"),
        BrokenCase(yaml: appending("    exceptions: [{from: 2026-10-26, kind: shut}]"),
                   key: "sites[0].exceptions[0].kind", line: 11, reason: "'shut' is not one of closed, open"),
        BrokenCase(yaml: appending("    exceptions: [{kind: closed}]"),
                   key: "sites[0].exceptions[0].from", line: 11, reason: "missing required key 'from'"),
        BrokenCase(yaml: appending("    exceptions: [{from: 2026-09-01, to: 2026-12-18, kind: open, weekdays: [tis, xyz]}]"),
                   key: "sites[0].exceptions[0].weekdays[1]", line: 11, reason: "'xyz' is not a weekday"),
        BrokenCase(yaml: appending("    holidays: norwegian"),
                   key: "sites[0].holidays", line: 11, reason: "'norwegian' is not one of none, swedish"),

        // Daemon settings.
        BrokenCase(yaml: prefixing("broker:\n  port: abc"),
                   key: "broker.port", line: 2, reason: "expected a whole number, found 'abc'"),
        BrokenCase(yaml: prefixing("broker:\n  port: 70000"),
                   key: "broker.port", line: 2, reason: "70000 is out of range 1…65535"),
        BrokenCase(yaml: prefixing("broker:\n  reconnect_min_seconds: 60\n  reconnect_max_seconds: 10"),
                   key: "broker.reconnect_max_seconds", line: 3, reason: "is below reconnect_min_seconds"),
        BrokenCase(yaml: prefixing("broker:\n  tls_cert_file: /etc/pw/cert.pem\n  tls_key_file: /etc/pw/key.pem"),
                   key: "broker.tls_cert_file", line: 2, reason: "needs tls_ca_file"),
        BrokenCase(yaml: prefixing("broker: [a, b]"),
                   key: "broker", line: 1, reason: "expected a mapping of keys, found a list"),
        BrokenCase(yaml: prefixing("brokr:\n  port: 1883"),
                   key: "brokr", line: 1, reason: "unknown key 'brokr'; did you mean 'broker'?"),
        BrokenCase(yaml: prefixing("log_level: verbose"),
                   key: "log_level", line: 1, reason: "'verbose' is not one of trace, debug"),
        BrokenCase(yaml: prefixing("journal: {retention_days: 0}"),
                   key: "journal.retention_days", line: 1, reason: "0 is out of range 1…3650"),
        BrokenCase(yaml: prefixing("journal:\n  snapshot_interval_seconds: 5"),
                   key: "journal.snapshot_interval_seconds", line: 2, reason: "5 is out of range 10…86400"),
        BrokenCase(yaml: prefixing("journal:\n  snapshots_kept: 0"),
                   key: "journal.snapshots_kept", line: 2, reason: "0 is out of range 1…10"),
        BrokenCase(yaml: prefixing("journal:\n  snapshot_every_events: -1"),
                   key: "journal.snapshot_every_events", line: 2, reason: "-1 is out of range 0…10000000"),
        BrokenCase(yaml: prefixing("http:\n  map_tile_url: https://tiles.example/{z}/{x}.png"),
                   key: "http.map_tile_url", line: 2, reason: "expected an http(s) URL template with {z}, {x} and {y}"),
        BrokenCase(yaml: prefixing("http:\n  host: 0.0.0.0"),
                   key: "http.host", line: 2, reason: "without users_file", severity: .warning),
        BrokenCase(yaml: prefixing("http:\n  open_health_metrics: sometimes"),
                   key: "http.open_health_metrics", line: 2, reason: "expected true or false"),
        BrokenCase(yaml: prefixing("report:\n  at: \"25:00\""),
                   key: "report.at", line: 2, reason: "25:00"),
        BrokenCase(yaml: prefixing("report:\n  webhook_url: ftp://example.org/x"),
                   key: "report.webhook_url", line: 2, reason: "expected an http:// or https:// URL"),
        BrokenCase(yaml: prefixing("report:\n  directroy: /var/lib/propertywatch/reports"),
                   key: "report.directroy", line: 2, reason: "did you mean 'directory'?"),
        BrokenCase(yaml: prefixing("decoding:\n  max_payload_bytes: 10"),
                   key: "decoding.max_payload_bytes", line: 2, reason: "10 is out of range 64…1048576"),
        BrokenCase(yaml: prefixing("decoding:\n  late_window_hours: 200"),
                   key: "decoding.late_window_hours", line: 2, reason: "200 is out of range 0…168"),
        BrokenCase(yaml: prefixing("decoding:\n  max_clock_skew_seconds: 7200\n  late_window_hours: 1"),
                   key: "decoding.late_window_hours", line: 3, reason: "must be longer than max_clock_skew_seconds (or 0 to refuse late events)"),
        BrokenCase(yaml: "http: {port: 8480}",
                   key: "sites", line: 1, reason: "missing required key 'sites'"),

        // Patrol.
        BrokenCase(yaml: appending("""
            patrol:
              units:
                - {id: P1, call_sign: Väktare 31}
              shifts:
                - {id: nights, units: [P3], weekdays: [fri, sat], start: "20:00", end: "05:00"}
            """), key: "patrol.shifts[0].units[0]", line: 15, reason: "unknown unit 'P3'"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts:
                - {id: nights, units: [P1], weekdays: [fri, fry], start: "20:00", end: "05:00"}
            """), key: "patrol.shifts[0].weekdays[1]", line: 14, reason: "'fry' is not a weekday"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts:
                - {id: nights, units: [P1], weekdays: [1, 2], start: "24:00", end: "05:00"}
            """), key: "patrol.shifts[0].start", line: 14, reason: "'24:00' is not a time of day"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts:
                - {id: nights, units: [P1], weekdays: [1], start: "20:00", end: "20:00"}
            """), key: "patrol.shifts[0].end", line: 14, reason: "empty range"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts:
                - {id: nights, units: [], weekdays: [1], start: "20:00", end: "05:00"}
            """), key: "patrol.shifts[0].units", line: 14, reason: "at least one unit"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}, {id: P1}]
            """), key: "patrol.units[1].id", line: 12, reason: "duplicate unit id 'P1'"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              routes:
                - id: r1
                  unit: P1
                  stops:
                    - {site: s2, window: "22:00-22:30", dwell_minutes: 10}
            """), key: "patrol.routes[0].stops[0].site", line: 17, reason: "unknown site 's2'"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              routes:
                - {id: r1, unit: P2, stops: []}
            """), key: "patrol.routes[0].unit", line: 14, reason: "unknown unit 'P2'; did you mean 'P1'?"),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts: [{id: n, units: [P1], weekdays: [1], start: "22:00", end: "05:00"}]
              routes:
                - id: r1
                  unit: P1
                  stops:
                    - {site: s1, window: "22:00-22:10", dwell_minutes: 30}
            """), key: "patrol.routes[0].stops[0].dwell_minutes", line: 18,
            reason: "longer than the 10 min window", severity: .warning),
        BrokenCase(yaml: appending("""
            patrol:
              units: [{id: P1}]
              shifts: [{id: n, units: [P1], weekdays: [1], start: "22:00", end: "05:00"}]
              routes:
                - id: r1
                  unit: P1
                  stops:
                    - {site: s1, window: "12:00-12:30"}
            """), key: "patrol.routes[0].stops[0].window", line: 18,
            reason: "no shift of unit P1 covers 12:00", severity: .warning),
        BrokenCase(yaml: appending("""
            patrol:
              travel: {road_factor: 0.5}
              escalation: {central_webhook_url: "ftp://example.org/x"}
            """), key: "patrol.escalation.central_webhook_url", line: 13, reason: "is not an http:// or https:// URL"),
        BrokenCase(yaml: appending("""
            patrol:
              travel: {road_factor: 0.5}
            """), key: "patrol.travel.road_factor", line: 12, reason: "0.5 is out of range 1…3"),
    ]

    @Test(arguments: cases)
    func brokenConfigurationIsReported(_ broken: BrokenCase) {
        let problems = ConfigurationLoader.validate(yaml: broken.yaml, file: "test.yaml")
        let match = problems.first { $0.key == broken.key && $0.reason.contains(broken.reason) }
        #expect(match != nil, "got:\n\(problems.map(\.description).joined(separator: "\n"))")
        #expect(match?.line == broken.line)
        #expect(match?.severity == broken.severity)
        #expect(match?.file == "test.yaml")
    }

    @Test func httpAndReportKeysAreRead() throws {
        let yaml = prefixing("""
            http: {users_file: /etc/propertywatch/users, open_health_metrics: false, map_tile_url: "https://tiles.example/{z}/{x}/{y}.png"}
            report: {at: "06:30", directory: /var/lib/propertywatch/reports, webhook_url: "https://reports.example/hook"}
            """)
        let daemon = try ConfigurationLoader.parse(yaml: yaml, file: "t.yaml").daemon
        #expect(daemon.http.usersFile == "/etc/propertywatch/users")
        #expect(daemon.http.openHealthAndMetrics == false)
        #expect(daemon.http.mapTileURL == "https://tiles.example/{z}/{x}/{y}.png")
        #expect(daemon.report.at == LocalTime(hour: 6, minute: 30))
        #expect(daemon.report.directory == "/var/lib/propertywatch/reports")
        #expect(daemon.report.webhookURL == "https://reports.example/hook")
    }

    @Test func validBaseHasNoProblems() throws {
        #expect(ConfigurationLoader.validate(yaml: validBase, file: "base.yaml").isEmpty)
        let configuration = try ConfigurationLoader.parse(yaml: validBase, file: "base.yaml")
        #expect(configuration.watch.sites.first?.priority == 5)
        #expect(configuration.daemon == DaemonSettings())
        #expect(configuration.watch.decoding == DecodingLimits())
    }

    @Test func collectsEveryProblemNotJustTheFirst() {
        let yaml = appending("""
                  - {id: pir-1, kind: pir, zone: nowhere}
                  - {id: cam-1, kind: camera}
                opening_hours: {mon: ["25:00-26:00"], fri: ["08:00-08:00"]}
            log_level: loud
            """)
        let problems = ConfigurationLoader.validate(yaml: yaml, file: "many.yaml")
        #expect(problems.map(\.key) == [
            "sites[0].devices[1].zone", "sites[0].devices[2].camera_zones",
            "sites[0].opening_hours.mon[0]", "sites[0].opening_hours.fri[0]", "log_level",
        ])
        #expect(problems.map(\.line) == [11, 12, 13, 13, 14])
    }

    @Test func parseThrowsEveryProblem() {
        let yaml = prefixing("broker: {port: 0}\nhttp: {port: 0}")
        #expect {
            try ConfigurationLoader.parse(yaml: yaml, file: "bad.yaml")
        } throws: { error in
            guard let failure = error as? ConfigurationFailure else { return false }
            return failure.errors.map(\.key) == ["broker.port", "http.port"]
                && failure.description.contains("bad.yaml:2: http.port: 0 is out of range")
        }
    }

    @Test func warningsDoNotStopLoading() throws {
        let yaml = replacing("{lat: 59.5, lon: 17.6}", "{lat: 48.85, lon: 2.35}")
        let report = ConfigurationLoader.read(yaml: yaml, file: "paris.yaml")
        #expect(report.configuration != nil)
        #expect(report.warnings.count == 1 && report.errors.isEmpty)
        #expect(report.warnings.first?.description == "paris.yaml:6: sites[0].location: warning: 48.85, 2.35 is outside Sweden; are lat and lon swapped or mistyped?")
    }

    @Test func syntaxErrorsHaveALine() throws {
        let problems = ConfigurationLoader.validate(yaml: "sites:\n  - id: [unclosed\n  - id: x\n", file: "syntax.yaml")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.reason.hasPrefix("invalid YAML"))
        #expect(problem.line != nil)
    }

    @Test func emptyAndMissingFiles() {
        #expect(ConfigurationLoader.validate(yaml: "", file: "empty.yaml").map(\.reason) == ["the configuration is empty"])
        #expect(ConfigurationLoader.validate(yaml: "- a\n- b", file: "list.yaml").first?.reason.contains("expected a mapping") == true)
        #expect(throws: ConfigurationFailure.self) { try ConfigurationLoader.load(path: "/nonexistent/propertywatch.yaml") }
    }

    @Test func schedulesAreBuiltFromTheFile() throws {
        let yaml = appending("""
                opening_hours: {mon: ["07:00-12:00", "13:00-17:00"], sat: "10:00-14:00"}
                arm_by: {mon: "18:30"}
                arm_grace_minutes: 5
                exceptions:
                  - {from: 2026-10-26, to: 2026-10-30, kind: closed, reason: Höstlov}
                  - {from: 2026-09-01, to: 2026-12-18, weekdays: [tue], kind: open, hours: ["18:00-21:00"], reason: Uthyrning}
                holidays: swedish
            """)
        let schedule = try #require(try ConfigurationLoader.parse(yaml: yaml, file: "s.yaml").watch.sites.first?.schedule)
        #expect(schedule.openingHours[1]?.count == 2)
        #expect(schedule.openingHours[6]?.first?.description == "10:00-14:00")
        #expect(schedule.armBy[1] == LocalTime(hour: 18, minute: 30))
        #expect(schedule.armGrace == .minutes(5))
        #expect(schedule.exceptions.count == 2)
        #expect(schedule.exceptions[1].weekdays == [2])
        #expect(schedule.holidays == .swedish)
    }

    @Test func keySuggestionsAndFrigateSectionIsAccepted() {
        #expect(ConfigurationLoader.validate(yaml: prefixing("frigate:\n  cameras: {}"), file: "f.yaml").isEmpty)
    }
}
