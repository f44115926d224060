import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import Testing

/// Every key of the `rules` section, and every new site key, changes what the engine is given;
/// the rule table tests in the core show each of those settings changing behaviour.
@Suite struct RulesConfigurationTests {
    struct KeyCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var check: @Sendable (CorrelationRules) -> Bool
        var testDescription: String { yaml }
    }

    static let keys: [KeyCase] = [
        KeyCase(yaml: "verification_window_minutes: 10") { $0.verificationWindow == .minutes(10) },
        KeyCase(yaml: "sequential_verification: distinct-detectors") { $0.sequentialRequires == .distinctDetectors },
        KeyCase(yaml: "video_before_seconds: 30") { $0.videoBefore == .seconds(30) },
        KeyCase(yaml: "video_after_seconds: 45") { $0.videoAfter == .seconds(45) },
        KeyCase(yaml: "unverified_intrusion: verify-first") { $0.unverifiedIntrusion == .verifyFirst(minutes: 5) },
        KeyCase(yaml: "unverified_intrusion: verify-first\n  verify_first_minutes: 8") { $0.unverifiedIntrusion == .verifyFirst(minutes: 8) },
        KeyCase(yaml: "unverified_intrusion: verify-first\n  after_verify_first: directed-check") {
            $0.unverifiedIntrusion == .verifyFirst(minutes: 5, then: .directedCheck)
        },
        KeyCase(yaml: "unverified_intrusion: directed-check") { $0.unverifiedIntrusion == UnverifiedIntrusionPolicy(action: .directedCheck) },
        KeyCase(yaml: "unverified_intrusion: record") { $0.unverifiedIntrusion == UnverifiedIntrusionPolicy(action: .record) },
        KeyCase(yaml: "camera_detection: incident") { $0.cameraDetection == .incident },
        KeyCase(yaml: "alarm_while_unset: incident") { $0.alarmWhileUnset == .incident },
        KeyCase(yaml: "restore_cancel_seconds: {door: 0, pir: 15}") { $0.restoreCancel[.door] == Milliseconds(0) && $0.restoreCancel[.pir] == .seconds(15) },
        KeyCase(yaml: "flapping: {changes: 4, window_minutes: 3, quiet_minutes: 7}") { $0.flapping == FlapRule(changes: 4, window: .minutes(3), quiet: .minutes(7)) },
        KeyCase(yaml: "flood: {rate_per_minute: 10, burst: 5, calm_minutes: 2}") {
            $0.floodRatePerMinute == 10 && $0.floodBurst == 5 && $0.floodCalm == .minutes(2)
        },
        KeyCase(yaml: "supervision: {missed: 2, grace_seconds: 90}") { $0.supervisionMissed == 2 && $0.supervisionGrace == .seconds(90) },
        KeyCase(yaml: "supervision: {directed_check: false}") { !$0.supervisionDirectedCheck },
        KeyCase(yaml: "late_to_close_check: check") { $0.lateToCloseCheck == .check },
        KeyCase(yaml: "late_to_close_check: 'off'") { $0.lateToCloseCheck == .off },
        KeyCase(yaml: "priorities: {late-alarm: tamper}") { $0.priority(.lateAlarm) == .tamper },
        KeyCase(yaml: "communication_failure_min_devices: 5") { $0.communicationFailureMinDevices == 5 },
        KeyCase(yaml: "guard_presence_minutes: 0") { !$0.guardPresenceAttributes },
        KeyCase(yaml: "guard_presence_minutes: 45") { $0.guardPresenceTimeout == .minutes(45) },
        KeyCase(yaml: "merge_window_minutes: 5") { $0.mergeWindow == .minutes(5) },
        KeyCase(yaml: "priorities: {late-to-close: tamper}") { $0.priority(.lateToClose) == .tamper },
        KeyCase(yaml: "dispatch_threshold: unverified-intrusion") { $0.dispatchThreshold == .unverifiedIntrusion },
    ]

    @Test(arguments: keys)
    func globalKeyChangesTheRules(c: KeyCase) throws {
        let configuration = try ConfigurationLoader.parse(yaml: "rules:\n  \(c.yaml)\n" + validBase, file: "rules.yaml")
        #expect(configuration.watch.rules != CorrelationRules())
        #expect(c.check(configuration.watch.rules))
    }

    /// A site's rules override the global ones for that site only.
    @Test(arguments: keys)
    func siteKeyOverridesForThatSite(c: KeyCase) throws {
        let yaml = appending("    rules:\n      " + c.yaml.replacingOccurrences(of: "\n  ", with: "\n      "))
        let configuration = try ConfigurationLoader.parse(yaml: yaml, file: "site.yaml")
        let site = try #require(configuration.watch.sites.first)
        #expect(configuration.watch.rules == CorrelationRules())
        #expect(c.check(try #require(site.rules)))
    }

    @Test func panelModelIsRead() throws {
        let yaml = """
            sites:
              - id: s1
                name: Skolan
                kind: school
                address: Skolvägen 1
                location: {lat: 59.5, lon: 17.6}
                opening_hours: {mon: "07:00-17:00"}
                partitions:
                  - {id: skola, number: 1}
                  - id: hall
                    number: 2
                    exceptions: [{from: 2026-12-01, weekdays: [tue], kind: open, hours: ["18:00-21:00"]}]
                zones:
                  - {id: entre, number: 1, partition: skola, detector: door, restore_cancel_seconds: 0, verified_by: [gard]}
                  - {id: hall, number: 2, partition: hall, flapping: {changes: 3}}
                  - {id: gard, camera_alarm: true}
                users:
                  - {id: stad, number: 20, role: cleaner, windows: [{weekdays: [sat], hours: ["06:00-10:00"], partitions: [skola]}]}
                devices:
                  - {id: panel, kind: panel, supervision: SP4}
            """
        let site = try #require(try ConfigurationLoader.parse(yaml: yaml, file: "panel.yaml").watch.sites.first)
        #expect(site.partitions.map(\.id) == ["skola", "hall"])
        #expect(site.partitions[1].schedule?.exceptions.count == 1)
        #expect(site.partitions[1].schedule?.openingHours == site.schedule.openingHours)
        #expect(site.zones[0] == ZoneConfiguration(
            id: "entre", name: "entre", number: 1, partition: "skola", detector: .door, restoreCancel: Milliseconds(0), verifiedBy: ["gard"]))
        #expect(site.zones[1].flapping?.changes == 3)
        #expect(site.zones[2].cameraAlarm)
        #expect(site.users.first?.windows.first?.weekdays == [6])
        #expect(site.devices.first?.heartbeatSeconds == 180)
        #expect(site.devices.first?.supervisionCategory == .sp4)
    }

    static let broken: [BrokenCase] = [
        BrokenCase(yaml: "rules:\n  unverified_intrusion: verify-frist\n" + validBase, key: "rules.unverified_intrusion", line: 2,
                   reason: "'verify-frist' is not one of dispatch, verify-first, directed-check, record; did you mean 'verify-first'?"),
        BrokenCase(yaml: "rules:\n  late_to_close_check: maybe\n" + validBase, key: "rules.late_to_close_check", line: 2,
                   reason: "'maybe' is not one of off, propose, check"),
        BrokenCase(yaml: "rules:\n  supervision: {directed_check: sometimes}\n" + validBase, key: "rules.supervision.directed_check", line: 2,
                   reason: "expected true or false, found 'sometimes'"),
        BrokenCase(yaml: "rules:\n  verify_first_minutes: 5\n" + validBase, key: "rules.verify_first_minutes", line: 2,
                   reason: "only applies with unverified_intrusion: verify-first"),
        BrokenCase(yaml: "rules:\n  restore_cancel_seconds: {smoke: 10}\n" + validBase, key: "rules.restore_cancel_seconds.smoke", line: 2,
                   reason: "fire and hold-up alarms are never held back for a restore"),
        BrokenCase(yaml: "rules:\n  priorities: {late-to-close: urgent}\n" + validBase, key: "rules.priorities.late-to-close", line: 2,
                   reason: "'urgent' is not one of trouble, tamper, unverified-intrusion, vandalism, verified-intrusion, hold-up, fire"),
        BrokenCase(yaml: replacing("      - {id: korridor, name: Korridor}", "      - {id: korridor, name: Korridor, partition: hall}"),
                   key: "sites[0].zones[0].partition", line: 8, reason: "unknown partition 'hall'; the site lists no partitions"),
        BrokenCase(yaml: appending("      - {id: pir-1, kind: pir, zone: korridor, heartbeat_seconds: 60, supervision: SP4}"),
                   key: "sites[0].devices[1].supervision", line: 11, reason: "give either heartbeat_seconds or an EN 50136-1 supervision category, not both"),
        BrokenCase(yaml: appending("    users:\n      - {id: x, role: janitor}"),
                   key: "sites[0].users[0].role", line: 12, reason: "'janitor' is not one of staff, cleaner, letting, guard-company"),
        BrokenCase(yaml: replacing("      - {id: korridor, name: Korridor}", "      - {id: korridor, name: Korridor, number: 3}\n      - {id: hall, number: 3}"),
                   key: "sites[0].zones[1].number", line: 9, reason: "zone number 3 is already zone 'korridor'"),
    ]

    @Test(arguments: broken)
    func badRulesAreReportedWithFileAndLine(c: BrokenCase) {
        let problems = ConfigurationLoader.validate(yaml: c.yaml, file: "test.yaml")
        let match = problems.first { $0.key == c.key }
        #expect(match?.reason == c.reason, "\(problems)")
        #expect(match?.line == c.line, "\(problems)")
    }
}
