import Testing
@testable import PropertyWatchCore

/// Alarm, verification, request, accept, en route, on site and cleared are kept on the
/// incident; response time runs from the alarm, or from the verification when dispatch
/// waited for it, to on site; handling time from on site to cleared.
@Suite struct IncidentTimesTests {
    typealias F = PatrolFixture

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// When the coordinator first hears of the incident (it opened at 23:00), and verified.
        var firstHeard: Timestamp
        var verifiedAtFirst: Bool
        /// A verification reported later, while the unit is on its way.
        var verifiedLater: Timestamp?
        var expectedStart: Timestamp
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "fire dispatched at the alarm", firstHeard: F.at(23), verifiedAtFirst: false, verifiedLater: nil, expectedStart: F.at(23)),
        Case(name: "dispatched once verified", firstHeard: F.at(23, 2), verifiedAtFirst: true, verifiedLater: nil, expectedStart: F.at(23, 2)),
        Case(name: "verified after dispatch", firstHeard: F.at(23), verifiedAtFirst: false, verifiedLater: F.at(23, 1), expectedStart: F.at(23)),
    ]

    @Test(arguments: cases)
    func timesAreKeptAndResponseTimeCountsFromTheRightStart(c: Case) throws {
        var coordinator = DispatchCoordinator(directory: F.directory(units: F.units("P1")))
        _ = coordinator.handle(F.position("P1", 52, F.at(22, 59)), now: F.at(22, 59))
        var incident = F.incident(at: 50, .verifiedIntrusion, openedAt: F.at(23))
        if c.verifiedAtFirst { incident.verification = .sequential }
        var all = coordinator.handle(.incidentNeedsGuard(incident), now: c.firstHeard)
        all += coordinator.handle(F.reply("P1", .accepted, F.at(23, 3)), now: F.at(23, 3))
        all += coordinator.handle(F.reply("P1", .enRoute, F.at(23, 4)), now: F.at(23, 4))
        if let later = c.verifiedLater {
            incident.verification = .video
            all += coordinator.handle(.incidentNeedsGuard(incident), now: later)
        }
        all += coordinator.handle(F.reply("P1", .arrived, F.at(23, 12)), now: F.at(23, 12))
        all += coordinator.handle(F.reply("P1", .cleared, F.at(23, 40), outcome: .falseAlarm), now: F.at(23, 40))
        let times = try #require(all.facts.last?.times)
        #expect(times.alarm == F.at(23))
        #expect(times.verified == (c.verifiedAtFirst ? c.firstHeard : c.verifiedLater))
        #expect(times.requested == c.firstHeard)
        #expect(times.accepted == F.at(23, 3))
        #expect(times.enRoute == F.at(23, 4))
        #expect(times.onSite == F.at(23, 12))
        #expect(times.cleared == F.at(23, 40))
        #expect(times.responseStart == c.expectedStart)
        #expect(times.responseTime == F.at(23, 12) - c.expectedStart)
        #expect(times.handlingTime == .minutes(28))
        #expect(coordinator.responseTimes["I1"] == F.at(23, 12) - c.expectedStart)
        // Every fact the coordinator reports carries the times known by then.
        #expect(all.facts.allSatisfy { $0.times.alarm == F.at(23) })
        #expect(all.facts.first { $0.to == .onSite }?.cause.hasSuffix(c.expectedStart == F.at(23) ? "from the alarm" : "from the verification") == true)
    }

    @Test func theIncidentUpdateCarriesTheTimes() {
        let times = IncidentTimes(alarm: F.at(23), requested: F.at(23), onSite: F.at(23, 10), cleared: F.at(23, 30))
        let t = IncidentTransition(incident: "I1", site: "s50", from: .onSite, to: .cleared, priority: .fire, cause: "c", time: F.at(23, 30), sequence: 4, times: times)
        let text = String(decoding: MessageEncoder.incidentTransition(t), as: UTF8.self)
        #expect(text.contains(#""seq":4,"#))
        #expect(text.hasSuffix(#""times":{"alarm":\#(F.at(23).millisecondsSinceEpoch),"requested":\#(F.at(23).millisecondsSinceEpoch),"onSite":\#(F.at(23, 10).millisecondsSinceEpoch),"cleared":\#(F.at(23, 30).millisecondsSinceEpoch),"responseTime":600000,"handlingTime":1200000}}"#))
    }
}
