import PropertyWatchCore
import Testing
@testable import SimulatorKit

struct DaemonOutputTests {
    let t = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)

    @Test func readsBackWhatTheDaemonEncodes() {
        let request = GuardRequest(
            requestID: "I1-2", incident: "I1", unit: "P2", site: "brohuset", siteName: "Brohuset", address: "Torget 1",
            zones: ["entre-norr"], priority: .verifiedIntrusion, verification: .video, triggers: ["intrusion pir"],
            snapshot: "http://x/1.jpg", eta: t + .minutes(3), issuedAt: t, attempt: 2)
        #expect(DaemonOutput(topic: Topic.guardRequests(unit: "P2"), payload: MessageEncoder.guardRequest(request)) == .guardRequest(request))
        let transition = IncidentTransition(incident: "I1", site: "brohuset", from: .new, to: .dispatched, priority: .fire, cause: "c", time: t)
        #expect(DaemonOutput(topic: Topic.incident("I1"), payload: MessageEncoder.incidentTransition(transition)) == .incident(transition))
        #expect(DaemonOutput(
            topic: Topic.acknowledgement(site: "brohuset", device: "door-norr"),
            payload: MessageEncoder.acknowledgement(site: "brohuset", device: "door-norr", sequences: [4, 6], time: t))
            == .acknowledgement(site: "brohuset", device: "door-norr", sequences: [4, 6]))
        #expect(DaemonOutput(topic: Topic.warnings, payload: MessageEncoder.warning(site: nil, code: "flood", message: "m", time: t))
            == .warning(site: nil, code: "flood", message: "m", time: t))
        #expect(DaemonOutput(
            topic: Topic.escalations("central"),
            payload: MessageEncoder.escalation(incident: "I1", target: "central", idempotencyKey: "k", contact: nil, summary: "s", time: t))
            == .escalation(incident: "I1", target: "central", time: t))
        #expect(DaemonOutput(topic: Topic.simulatedClockAcknowledgement, payload: Array("{\"v\":1,\"time\":5}".utf8))
            == .clockAcknowledgement(Timestamp(millisecondsSinceEpoch: 5)))
    }

    @Test func ignoresForeignAndBrokenMessages() {
        #expect(DaemonOutput(topic: "frigate/events", payload: Array("{}".utf8)) == nil)
        #expect(DaemonOutput(topic: Topic.warnings, payload: Array("{".utf8)) == nil)
    }
}
