import PropertyWatchHA
import Testing

/// The same action from either daemon of a pair has the same identity, whatever its times.
@Suite struct OutputIdentityTests {
    @Test(arguments: [
        ("propertywatch/v1/units/u1/requests",
         #"{"v":1,"request":"I-1-r1","incident":"I-1","attempt":1,"time":1000}"#,
         #"{"v":1,"request":"I-1-r1","incident":"I-1","attempt":1,"time":1004}"#),
        ("propertywatch/v1/incidents/I-1",
         #"{"v":1,"incident":"I-1","to":"verified","seq":2,"time":1000}"#,
         #"{"v":1,"incident":"I-1","to":"verified","seq":2,"time":1003}"#),
        ("propertywatch/v1/units/u1/plan",
         #"{"v":1,"unit":"u1","night":"2026-12-04","version":3,"time":1}"#,
         #"{"v":1,"unit":"u1","night":"2026-12-04","version":3,"time":2}"#),
        ("propertywatch/v1/warnings",
         #"{"v":1,"site":"s1","code":"late","message":"m","time":1}"#,
         #"{"v":1,"site":"s1","code":"late","message":"m","time":9}"#),
    ])
    func timesDoNotMatter(topic: String, first: String, second: String) {
        #expect(OutputIdentity.of(topic: topic, payload: Array(first.utf8)) == OutputIdentity.of(topic: topic, payload: Array(second.utf8)))
    }

    @Test func revisionsAreDifferentActions() {
        let topic = "propertywatch/v1/units/u1/requests"
        let first = OutputIdentity.of(topic: topic, payload: Array(#"{"request":"I-1-r1","time":1}"#.utf8))
        let second = OutputIdentity.of(topic: topic, payload: Array(#"{"request":"I-1-r1","revision":2,"time":1}"#.utf8))
        #expect(first == "request:I-1-r1:1")
        #expect(second == "request:I-1-r1:2")
    }

    @Test func transitionsOfOneIncidentDiffer() {
        let topic = "propertywatch/v1/incidents/I-1"
        let a = OutputIdentity.of(topic: topic, payload: Array(#"{"incident":"I-1","to":"open","time":1}"#.utf8))
        let b = OutputIdentity.of(topic: topic, payload: Array(#"{"incident":"I-1","to":"verified","seq":1,"time":1}"#.utf8))
        #expect(a != b)
    }

    @Test func otherPayloadsAreIdentifiedByTheirBytes() {
        let a = OutputIdentity.of(topic: "x", payload: [1, 2, 3])
        #expect(a == OutputIdentity.of(topic: "x", payload: [1, 2, 3]))
        #expect(a != OutputIdentity.of(topic: "x", payload: [1, 2, 4]))
        #expect(a != OutputIdentity.of(topic: "y", payload: [1, 2, 3]))
    }
}
