import PropertyWatchCore
import Testing
@testable import SimulatorKit

struct PanelSimulatorTests {
    let start = SimulatorFixture.wednesdayEvening

    func panels(heartbeats: Bool = true) -> PanelSimulator {
        PanelSimulator(configuration: SimulatorFixture.configuration, start: start, seed: 1, heartbeats: heartbeats)
    }

    @Test func heartbeatsAtEachDevicesInterval() {
        var p = panels()
        var beats: [String: Int] = [:]
        var t = start
        while t < start + .hours(1) {
            t = t + .seconds(10)
            for m in p.tick(now: t, stamp: t) where m.topic.contains("/heartbeats/") { beats[m.topic, default: 0] += 1 }
        }
        // Brohuset's panel beats every 60 s, Råby förskola's every 120 s; detectors are not supervised.
        #expect(beats[Topic.heartbeat(site: "brohuset", device: "panel")] == 60)
        #expect(beats[Topic.heartbeat(site: "raby-forskola", device: "panel")] == 30)
        #expect(beats[Topic.heartbeat(site: "brohuset", device: "pir-kontor")] == nil)
    }

    @Test func aBufferingPanelSendsItsEventsWithTheirOriginalTimesWhenBack() throws {
        var p = panels()
        p.setFault(.buffering, site: "broskolan", device: "panel", now: start)
        let raisedAt = start + .minutes(20)
        #expect(p.raise(site: "broskolan", device: "panel", eventClass: .trouble, panel: PanelFields(trouble: .mainsFailure), now: raisedAt, stamp: raisedAt).isEmpty)
        let cutOff = p.tick(now: start + .minutes(30), stamp: start + .minutes(30))
        #expect(!cutOff.contains { $0.topic.contains("/broskolan/") })  // no heartbeats, nothing sent
        p.setFault(nil, site: "broskolan", device: "panel", now: start + .hours(2))
        let back = p.tick(now: start + .hours(2), stamp: start + .hours(2)).filter { $0.topic.contains("/broskolan/") }
        #expect(back.first?.topic == Topic.alarm(site: "broskolan", device: "panel"))  // the buffer goes first
        #expect(back.first?.text.contains(#""time":\#(raisedAt.millisecondsSinceEpoch)"#) == true)
        #expect(back.first?.text.contains("mains-failure") == true)
        #expect(p.unacknowledgedCount == 1)
        p.acknowledge(site: "broskolan", device: "panel", sequences: [1])
        #expect(p.unacknowledgedCount == 0)
    }

    @Test func aLosingPanelNumbersEventsThatNeverArrive() {
        var p = panels(heartbeats: false)
        p.setFault(.losing, site: "brohuset", device: "panel", now: start)
        #expect(p.raise(site: "brohuset", device: "panel", eventClass: .test, now: start, stamp: start).isEmpty)
        p.setFault(nil, site: "brohuset", device: "panel", now: start)
        let next = p.raise(site: "brohuset", device: "panel", eventClass: .test, now: start, stamp: start)
        #expect(next.first?.text.contains(#""seq":2"#) == true)
        #expect(p.unacknowledgedCount == 1)
    }

    @Test func eventsCarryPerDeviceSequencesAndDecode() throws {
        var p = panels(heartbeats: false)
        let a = p.raise(site: "broskolan", device: "pir-korridor-1", eventClass: .intrusion, now: start, stamp: start)
        let b = p.raise(site: "broskolan", device: "pir-korridor-1", eventClass: .intrusion, restore: true, now: start, stamp: start)
        let c = p.raise(site: "broskolan", device: "pir-korridor-2", eventClass: .intrusion, now: start, stamp: start)
        let events = try [a, b, c].map { try #require($0.first.flatMap(SimulatorFixture.decode)) }
        guard case .alarm(let e1) = events[0], case .alarm(let e2) = events[1], case .alarm(let e3) = events[2] else {
            Issue.record("not alarms")
            return
        }
        #expect((e1.sequence, e2.sequence, e3.sequence) == (1, 2, 1))
        #expect(e2.isRestore)
        #expect(e1.zone == "korridor")
        #expect(e1.deviceTime == start)
    }

    @Test func retransmitsUntilTheListedSequenceIsAcknowledged() {
        var p = panels(heartbeats: false)
        for _ in 0..<3 { _ = p.raise(site: "brohuset", device: "door-norr", eventClass: .intrusion, now: start, stamp: start) }
        #expect(p.unacknowledgedCount == 3)
        // Exactly the listed sequences go; 2 stays and is sent again after the interval.
        p.acknowledge(site: "brohuset", device: "door-norr", sequences: [1, 3])
        #expect(p.unacknowledgedCount == 1)
        #expect(p.tick(now: start + .seconds(5), stamp: start + .seconds(5)).isEmpty)
        let again = p.tick(now: start + .seconds(20), stamp: start + .seconds(20))
        #expect(again.count == 1)
        #expect(again.first?.text.contains("\"seq\":2") == true)
        p.acknowledge(site: "brohuset", device: "door-norr", sequences: [2])
        #expect(p.unacknowledgedCount == 0)
        #expect(p.retransmitted == 1)
    }

    @Test(arguments: [
        (PanelFault.silent, 0), (.duplicates, 2), (.garbage, 1), (.clockSkew(.minutes(15)), 1),
    ])
    func faults(_ fault: PanelFault, _ messages: Int) {
        var p = panels(heartbeats: false)
        p.setFault(fault, site: "broskolan", device: "pir-korridor-1", now: start)
        let out = p.raise(site: "broskolan", device: "pir-korridor-1", eventClass: .intrusion, now: start, stamp: start)
        #expect(out.count == messages)
        switch fault {
        case .garbage:
            let decoder = MessageDecoder(directory: SiteDirectory(SimulatorFixture.configuration), limits: SimulatorFixture.configuration.decoding)
            let result = out[0].payload.withUnsafeBytes { decoder.decode(topic: out[0].topic, payload: $0, receivedAt: start) }
            if case .rejected = result {} else { Issue.record("garbage decoded: \(result)") }
        case .clockSkew:
            #expect(out[0].text.contains("\"time\":\((start + .minutes(15)).millisecondsSinceEpoch)"))
        default:
            break
        }
    }

    @Test func floodSendsAtItsRateUntilItEnds() {
        var p = panels(heartbeats: false)
        p.setFault(.flood(perMinute: 120, until: start + .minutes(2)), site: "kontaktcenter", device: "pir-kontor", now: start)
        var t = start
        while let next = p.nextDeadline {
            t = next
            _ = p.tick(now: t, stamp: t)
        }
        #expect(p.sent == 241)  // every 500 ms from 0 through 2 min inclusive
        #expect(t == start + .minutes(2))
        #expect(p.device(site: "kontaktcenter", device: "pir-kontor")?.fault == nil)
    }
}
