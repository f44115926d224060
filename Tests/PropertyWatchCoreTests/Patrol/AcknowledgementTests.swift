import Testing
@testable import PropertyWatchCore

/// Accept, decline, timeouts, late and duplicate answers, units leaving mid-incident.
@Suite struct AcknowledgementTests {
    typealias F = PatrolFixture

    /// P1 at s50 and P2 at s52; a fire at s50 at 23:00.
    func started(_ priority: IncidentPriority = .fire, units: [UnitConfiguration] = F.units("P1", "P2")) -> (DispatchCoordinator, [DispatchAction]) {
        var c = DispatchCoordinator(directory: F.directory(units: units))
        _ = c.handle(F.position("P1", 50, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(F.position("P2", 52, F.at(22, 59)), now: F.at(22, 59))
        if units.count > 2 { _ = c.handle(F.position("P3", 55, F.at(22, 59)), now: F.at(22, 59)) }
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 50, priority, openedAt: F.at(23))), now: F.at(23))
        return (c, actions)
    }

    @Test(arguments: [
        (IncidentPriority.fire, 60), (.holdUp, 60), (.verifiedIntrusion, 120), (.unverifiedIntrusion, 180), (.tamper, 180),
    ])
    func timeoutPerPriorityEscalatesToTheNextUnit(priority: IncidentPriority, seconds: Int) throws {
        var (c, first) = started(priority)
        #expect(first.requests.map(\.unit) == ["P1"])
        #expect(c.nextDeadline == F.at(23, 0, seconds))
        #expect(c.tick(now: F.at(23, 0, seconds - 1)).isEmpty)
        let timeout = c.tick(now: F.at(23, 0, seconds))
        #expect(timeout.warningCodes == ["ack-timeout"])
        let second = try #require(timeout.requests.first)
        #expect(second.unit == "P2")
        #expect(second.requestID == "I1-2")
        #expect(second.attempt == 2)
        let t = try #require(timeout.facts.first)
        #expect(t.kind == .dispatched(unit: "P2", requestID: "I1-2"))
        #expect(t.cause.hasPrefix("P1 did not answer within \(seconds / 60 > 0 && seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s")"))
        // P2 does not answer either: nobody is left, the central is told once.
        let last = c.tick(now: F.at(23, 0, 2 * seconds))
        #expect(last.warningCodes == ["ack-timeout", "nobody-available"])
        #expect(last.requests.isEmpty)
        #expect(last.centralKeys == ["I1-central"])
        #expect(last.facts.map(\.to) == [.escalated])
        #expect(c.tick(now: F.at(23, 30)).isEmpty)
        #expect(c.nextDeadline == nil)
    }

    @Test func declineAsksTheNextUnitAtOnce() throws {
        var (c, _) = started()
        let declined = c.handle(F.reply("P1", .declined, F.at(23, 0, 10)), now: F.at(23, 0, 10))
        #expect(declined.requests.map(\.unit) == ["P2"])
        #expect(declined.facts.first?.cause.hasPrefix("P1 declined; requested P2") == true)
        #expect(c.nextDeadline == F.at(23, 1, 10))
        // The same decline again, or the old deadline passing, does nothing.
        #expect(c.handle(F.reply("P1", .declined, F.at(23, 0, 10)), now: F.at(23, 0, 11)).isEmpty)
        #expect(c.tick(now: F.at(23, 1)).isEmpty)
        let both = c.handle(F.reply("P2", .declined, F.at(23, 0, 20)), now: F.at(23, 0, 20))
        #expect(both.centralKeys == ["I1-central"])
        #expect(both.facts.first?.cause.hasPrefix("P2 declined; no unit available") == true)
    }

    @Test func fullLifecycleWithDuplicatesRecordsEachStepOnce() throws {
        var (c, _) = started()
        let accept = F.reply("P1", .accepted, F.at(23, 0, 20))
        let accepted = c.handle(accept, now: F.at(23, 0, 20))
        #expect(accepted.facts.map(\.to) == [.acknowledged])
        #expect(accepted.facts.first?.cause == "P1 accepted")
        #expect(c.handle(accept, now: F.at(23, 0, 21)).isEmpty)
        #expect(c.handle(F.reply("P1", .accepted, F.at(23, 0, 25)), now: F.at(23, 0, 25)).isEmpty)
        #expect(c.nextDeadline == nil)
        #expect(c.tick(now: F.at(23, 5)).isEmpty)

        let enRoute = c.handle(F.reply("P1", .enRoute, F.at(23, 1)), now: F.at(23, 1))
        #expect(enRoute.facts.map(\.cause) == ["P1 en route"])
        #expect(c.handle(F.reply("P1", .enRoute, F.at(23, 1)), now: F.at(23, 1, 5)).isEmpty)

        let arrived = c.handle(F.reply("P1", .arrived, F.at(23, 7, 30)), now: F.at(23, 7, 30))
        #expect(arrived.facts.map(\.to) == [.onSite])
        #expect(arrived.facts.first?.cause == "P1 on site, response time 7 min 30 s from the alarm")
        #expect(c.responseTimes["I1"] == Milliseconds.seconds(450))
        #expect(c.handle(F.reply("P1", .arrived, F.at(23, 7, 30)), now: F.at(23, 8)).isEmpty)
        // A stale en-route after arrival is ignored too.
        #expect(c.handle(F.reply("P1", .enRoute, F.at(23, 1)), now: F.at(23, 8)).isEmpty)

        let cleared = c.handle(F.reply("P1", .cleared, F.at(23, 30), outcome: .falseAlarm, note: "smoke from a toaster"), now: F.at(23, 30))
        #expect(cleared.facts.map(\.to) == [.cleared])
        #expect(cleared.facts.first?.cause == "P1 cleared: false-alarm – smoke from a toaster")
        #expect(c.handle(F.reply("P1", .cleared, F.at(23, 30), outcome: .falseAlarm), now: F.at(23, 31)).isEmpty)
        // Replaying the incident does not start a new dispatch; the unit is free again.
        #expect(c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 32)).isEmpty)
        #expect(c.tonight.unit("P1")?.incident == nil)
        let next = c.handle(.incidentNeedsGuard(F.incident("I2", at: 50, .fire, openedAt: F.at(23, 40))), now: F.at(23, 40))
        #expect(next.requests.map(\.unit) == ["P1"])
    }

    @Test func replayedIncidentOrRisingPriorityNeverResendsToThePendingUnit() {
        var (c, _) = started(.unverifiedIntrusion)
        #expect(c.nextDeadline == F.at(23, 3))
        #expect(c.handle(.incidentNeedsGuard(F.incident(at: 50, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23, 0, 5)).isEmpty)
        let rose = c.handle(.incidentNeedsGuard(F.incident(at: 50, .verifiedIntrusion, openedAt: F.at(23))), now: F.at(23, 0, 30))
        // Not a new request: an update of the pending one (same id), whose deadline stands.
        #expect(rose.requests.isEmpty)
        #expect(rose.updates.map(\.requestID) == ["I1-1"])
        #expect(c.nextDeadline == F.at(23, 3))
        let timeout = c.tick(now: F.at(23, 3))
        #expect(timeout.requests.map(\.unit) == ["P2"])
        #expect(timeout.requests.first?.priority == .verifiedIntrusion)
    }

    /// Documented: a late accept is taken when nobody has taken the incident (the unit asked
    /// meanwhile is told to stand down); otherwise the late unit is told to stand down, once.
    @Test func lateAcceptBeforeAnyoneElseTakesIt() {
        var (c, _) = started()
        _ = c.tick(now: F.at(23, 1))  // P1 timed out, P2 asked
        let late = c.handle(F.reply("P1", .accepted, F.at(23, 1, 10)), now: F.at(23, 1, 10))
        #expect(late.facts.map(\.to) == [.acknowledged])
        #expect(late.facts.first?.cause == "P1 accepted after its request timed out")
        #expect(late.warningCodes == ["stand-down"])
        #expect(late.warningMessages.first?.hasPrefix("P2: stand down from I1") == true)
        #expect(c.nextDeadline == nil)
        // P2 answers after all: already told to stand down, nothing more.
        #expect(c.handle(F.reply("P2", .accepted, F.at(23, 1, 20)), now: F.at(23, 1, 20)).isEmpty)
        #expect(c.tonight.unit("P2")?.incident == nil)
        #expect(c.tonight.unit("P1")?.incident == "I1")
    }

    @Test func lateAcceptAfterAnotherUnitTookIt() {
        var (c, _) = started()
        _ = c.tick(now: F.at(23, 1))
        _ = c.handle(F.reply("P2", .accepted, F.at(23, 1, 5)), now: F.at(23, 1, 5))
        let late = c.handle(F.reply("P1", .accepted, F.at(23, 1, 10)), now: F.at(23, 1, 10))
        #expect(late.facts.isEmpty)
        #expect(late.warningCodes == ["stand-down"])
        #expect(late.warningMessages == ["P1: stand down from I1 (taken by P2)"])
        #expect(c.handle(F.reply("P1", .accepted, F.at(23, 1, 10)), now: F.at(23, 1, 11)).isEmpty)
        #expect(c.handle(F.reply("P1", .arrived, F.at(23, 2)), now: F.at(23, 2)).isEmpty)
    }

    @Test func replyFromAUnitNeverAskedIsFlaggedOnce() {
        var (c, _) = started(units: F.units("P1", "P2", "P3"))
        let odd = c.handle(F.reply("P3", .accepted, F.at(23, 0, 5)), now: F.at(23, 0, 5))
        #expect(odd.warningCodes == ["unexpected-reply"])
        #expect(c.handle(F.reply("P3", .accepted, F.at(23, 0, 5)), now: F.at(23, 0, 6)).isEmpty)
        #expect(c.handle(F.reply("P9", .accepted, F.at(23, 0, 5), incident: "I9"), now: F.at(23, 0, 6)).isEmpty)
    }

    @Test func unitGoingOffDutyMidIncidentIsReplaced() throws {
        var (c, _) = started()
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 0, 20)), now: F.at(23, 0, 20))
        let off = UnitStatusReport(unit: "P1", state: .offDuty, time: F.at(23, 2))
        let actions = c.handle(.unitStatus(off), now: F.at(23, 2))
        #expect(actions.warningCodes == ["unit-off-duty"])
        let request = try #require(actions.requests.first)
        #expect(request.unit == "P2")
        #expect(request.attempt == 2)
        let t = try #require(actions.facts.first)
        #expect(t.kind == .dispatched(unit: "P2", requestID: "I1-2"))
        #expect(t.cause.hasPrefix("P1 went off duty; requested P2"))
        #expect(c.handle(.unitStatus(off), now: F.at(23, 2, 1)).isEmpty)
        #expect(c.tonight.unit("P1")?.reportedState == .offDuty)
        // Off duty, P1 is not asked for the next incident either.
        _ = c.handle(F.reply("P2", .accepted, F.at(23, 2, 30)), now: F.at(23, 2, 30))
        let other = c.handle(.incidentNeedsGuard(F.incident("I2", at: 50, .fire, openedAt: F.at(23, 5))), now: F.at(23, 5))
        #expect(other.requests.isEmpty)
        #expect(other.centralKeys == ["I2-central"])
    }

    @Test func unitGoingOffDutyWhileAskedCountsAsADecline() {
        var (c, _) = started()
        let actions = c.handle(.unitStatus(UnitStatusReport(unit: "P1", state: .offDuty, time: F.at(23, 0, 5))), now: F.at(23, 0, 5))
        #expect(actions.requests.map(\.unit) == ["P2"])
        #expect(actions.warningCodes == ["unit-off-duty"])
    }

    @Test func endedIncidentStopsEverythingAndStandsTheUnitDown() {
        var (c, _) = started()
        let ended = c.handle(.incidentEnded("I1", reason: "cancelled by operator"), now: F.at(23, 0, 30))
        #expect(ended.warningMessages == ["P1: stand down from I1 (I1 ended: cancelled by operator)"])
        #expect(c.nextDeadline == nil)
        #expect(c.tick(now: F.at(23, 5)).isEmpty)
        #expect(c.handle(.incidentEnded("I1", reason: "again"), now: F.at(23, 6)).isEmpty)
        #expect(c.handle(F.reply("P1", .accepted, F.at(23, 6)), now: F.at(23, 6)).isEmpty)
        // Ended before it was ever seen: a replayed request for it starts nothing.
        _ = c.handle(.incidentEnded("I7", reason: "closed"), now: F.at(23, 7))
        #expect(c.handle(.incidentNeedsGuard(F.incident("I7", at: 50, .fire, openedAt: F.at(23, 7))), now: F.at(23, 7)).isEmpty)
    }
}

extension AcknowledgementTests {
    @Test func aUnitWithdrawingAfterAcceptingIsReplacedOnce() {
        var (c, _) = started()
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 0, 10)), now: F.at(23, 0, 10))
        let withdrew = c.handle(F.reply("P1", .declined, F.at(23, 0, 40)), now: F.at(23, 0, 40))
        #expect(withdrew.requests.map(\.unit) == ["P2"])
        #expect(withdrew.facts.first?.cause.hasPrefix("P1 withdrew after accepting; requested P2") == true)
        #expect(c.handle(F.reply("P1", .declined, F.at(23, 0, 40)), now: F.at(23, 0, 41)).isEmpty)
    }
}
