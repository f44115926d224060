/// The one school (Broskolan, a smoke detector in zone `a`) and the one unit on duty around
/// the clock that the daemon process tests run against, as YAML.
public enum DaemonConfigurationYAML {
    /// `broker` and `journal` for a test daemon; `journal` takes extra keys, e.g. `wal_preallocate_mb: 0`.
    public static func connection(brokerPort: Int32, journal: String, journalExtra: String = "") -> String {
        """
        broker: {host: 127.0.0.1, port: \(brokerPort), client_id: \(TestEnvironment.uniqueName("pwd"))}
        journal: {path: \(journal)\(journalExtra.isEmpty ? "" : ", " + journalExtra)}
        """
    }

    /// `sites` and `patrol`: Broskolan with `devices` (default: one smoke detector) and unit P1.
    public static func school(devices: [String] = ["{id: smoke-a, kind: smoke, zone: a}"]) -> String {
        """
        sites:
          - id: broskolan
            name: Broskolan
            kind: school
            address: Skolvägen 1, Bro
            location: {lat: 59.512, lon: 17.632}
            zones:
              - {id: a, name: A-huset}
            devices:
        \(devices.map { "      - " + $0 }.joined(separator: "\n"))
        patrol:
          units:
            - {id: P1, call_sign: Väktare 31}
          shifts:
            - {id: always, units: [P1], weekdays: [1, 2, 3, 4, 5, 6, 7], start: "12:00", end: "11:59"}
        """
    }
}
