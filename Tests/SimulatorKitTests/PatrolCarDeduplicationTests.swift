import PropertyWatchCore
import Testing
@testable import SimulatorKit

/// A guard request published twice (by both daemons of a pair around a takeover) is answered once.
struct PatrolCarDeduplicationTests {
    @Test func aRequestReceivedTwiceIsAnsweredOnce() {
        let start = SimulatorFixture.wednesdayEvening
        var sim = PatrolSimulator(
            configuration: SimulatorFixture.configuration, start: start, seed: 1,
            policies: ["P1": AnswerPolicy(answer: .accept, delay: .seconds(30), onSite: .minutes(10), outcome: .vandalism)])
        let at = SimulatorFixture.local("2026-11-25 19:00")
        let request = GuardRequest(
            requestID: "I1-1", incident: "I1", unit: "P1", site: "kontaktcenter", siteName: "Kontaktcenter", address: "",
            zones: [], priority: .verifiedIntrusion, verification: .sequential, triggers: [], issuedAt: at)
        sim.receive(request, now: at)
        sim.receive(request, now: at + .seconds(1))
        var replies: [GuardReply.Kind] = []
        var notes: [String] = []
        var t = at
        while t <= at + .minutes(5) {
            let step = sim.advance(to: t, stamp: t)
            notes += step.notes
            replies += step.messages.compactMap { if case .reply(let r) = $0 { r.kind } else { nil } }
            t = t + .seconds(10)
        }
        #expect(replies.filter { $0 == .accepted }.count == 1)
        #expect(notes.contains { $0.contains("duplicate ignored") })
    }
}
