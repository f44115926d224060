import Testing
@testable import PropertyWatchCore

/// Zones, partitions and users named by id or by the panel's number, as SIA and Contact ID
/// report them, resolved against the site's configuration.
@Suite struct PanelFieldsTests {
    typealias F = ContractFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var overrides: [String: String?]
        var zone: ZoneID?
        var partition: PartitionID?
        var user: UserID?
        var testDescription: String { overrides.map { "\($0.key)=\($0.value ?? "-")" }.sorted().joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(overrides: [:], zone: "korridor"),
        Case(overrides: ["zone": "4"], zone: "gym"),
        Case(overrides: ["zone": "\"entre\""], zone: "entre"),
        Case(overrides: ["zone": nil], zone: "korridor"),  // the device's configured zone
        Case(overrides: ["partition": "2"], zone: "korridor", partition: "hall"),
        Case(overrides: ["partition": "\"main\""], zone: "korridor", partition: "main"),
        Case(overrides: ["user": "7"], zone: "korridor", user: "anna"),
        Case(overrides: ["user": "\"stad\""], zone: "korridor", user: "stad"),
        // An opening by a user the site does not know is real: kept, for the engine to judge.
        Case(overrides: ["class": "\"open\"", "user": "99"], zone: "korridor", user: "#99"),
    ]

    @Test(arguments: cases)
    func resolved(c: Case) throws {
        var pairs: [(String, String?)] = c.overrides.map { ($0.key, $0.value) }
        pairs.sort { $0.0 < $1.0 }
        let payload = F.alarm(KeyValuePairs(pairs))
        let result = F.decode(F.alarmTopic, payload)
        guard case .message(.alarm(let event)) = result else {
            Issue.record("not decoded: \(result)")
            return
        }
        #expect(event.zone == c.zone)
        #expect(event.partition == c.partition)
        #expect(event.user == c.user)
    }
}

extension KeyValuePairs where Key == String, Value == String? {
    init(_ pairs: [(String, String?)]) {
        // KeyValuePairs has no public initialiser from an array; build it by literal in chunks.
        switch pairs.count {
        case 0: self = [:]
        case 1: self = [pairs[0].0: pairs[0].1]
        default: self = [pairs[0].0: pairs[0].1, pairs[1].0: pairs[1].1]
        }
    }
}
