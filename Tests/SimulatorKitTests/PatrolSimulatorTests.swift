import PropertyWatchCore
import Testing
@testable import SimulatorKit

struct PatrolSimulatorTests {
    let start = SimulatorFixture.wednesdayEvening

    /// Runs the cars from 18:00 to `until`, stepping at every deadline and every minute.
    func run(_ sim: inout PatrolSimulator, until end: Timestamp, requests: [Timestamp: GuardRequest] = [:]) -> [(Timestamp, InboundMessage)] {
        var out: [(Timestamp, InboundMessage)] = []
        var t = start
        var pending = requests
        while t <= end {
            for (at, r) in pending where at <= t {
                sim.receive(r, now: at)
                pending[at] = nil
            }
            out += sim.advance(to: t, stamp: t).messages.map { (t, $0) }
            t = min(sim.nextDeadline ?? t + .minutes(1), t + .minutes(1), pending.keys.min() ?? end + .hours(1))
            if t <= out.last?.0 ?? start { t = t + Milliseconds(1) }
        }
        return out
    }

    @Test func carsDriveTheirRouteAndCheckInAtWindowStarts() {
        var sim = PatrolSimulator(configuration: SimulatorFixture.configuration, start: start, seed: 1)
        let messages = run(&sim, until: SimulatorFixture.local("2026-11-25 22:59"))
        let checkIns = messages.compactMap { (t, m) -> (Timestamp, SiteID)? in
            if case .checkIn(let c) = m, c.unit == "P1", c.present { return (t, c.site) }
            return nil
        }
        #expect(checkIns.map(\.1) == ["brohuset", "broskolan", "finnstaskolan", "harneviskolan", "raby-forskola"])
        #expect(checkIns.first?.0 == SimulatorFixture.local("2026-11-25 20:30"))
        #expect(checkIns.last?.0 == SimulatorFixture.local("2026-11-25 22:45"))
        // P2 is off duty until 23:00 on a Wednesday: nothing from it yet.
        #expect(!messages.contains { if case .position(let p) = $0.1 { p.unit == "P2" } else { false } })
    }

    @Test(arguments: [AnswerPolicy.Answer.accept, .decline, .ignore])
    func answersByPolicy(_ answer: AnswerPolicy.Answer) {
        var sim = PatrolSimulator(
            configuration: SimulatorFixture.configuration, start: start, seed: 1,
            policies: ["P1": AnswerPolicy(answer: answer, delay: .seconds(30), onSite: .minutes(10), outcome: .vandalism)])
        let at = SimulatorFixture.local("2026-11-25 19:00")
        let request = GuardRequest(
            requestID: "I1-1", incident: "I1", unit: "P1", site: "kontaktcenter", siteName: "Kontaktcenter", address: "",
            zones: [], priority: .verifiedIntrusion, verification: .sequential, triggers: [], issuedAt: at)
        let messages = run(&sim, until: SimulatorFixture.local("2026-11-25 20:00"), requests: [at: request])
        let replies = messages.compactMap { (t, m) -> (Timestamp, GuardReply.Kind)? in
            if case .reply(let r) = m { return (t, r.kind) }
            return nil
        }
        switch answer {
        case .accept:
            #expect(replies.map(\.1) == [.accepted, .arrived, .cleared])
            #expect(replies[0].0 == at + .seconds(30))
            // Brohuset → Kontaktcenter is about 8 km: several minutes at 50 km/h, ±10 %.
            let drive = replies[1].0 - replies[0].0
            #expect(drive > .minutes(9) && drive < .minutes(16))
            #expect(replies[2].0 - replies[1].0 == .minutes(10))
        case .decline:
            #expect(replies.map(\.1) == [.declined])
        case .ignore:
            #expect(replies.isEmpty)
        }
    }

    @Test func sameSeedSameNight() {
        var a = PatrolSimulator(configuration: SimulatorFixture.configuration, start: start, seed: 9)
        var b = PatrolSimulator(configuration: SimulatorFixture.configuration, start: start, seed: 9)
        let end = SimulatorFixture.local("2026-11-26 06:00")
        #expect(run(&a, until: end).map { "\($0.0)\($0.1)" } == run(&b, until: end).map { "\($0.0)\($0.1)" })
    }
}
