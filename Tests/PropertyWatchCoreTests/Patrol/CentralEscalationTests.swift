import Testing
@testable import PropertyWatchCore

/// The guard company central's webhook and the on-call contact.
@Suite struct CentralEscalationTests {
    typealias F = PatrolFixture

    /// No unit is on shift at 21:00, so a fire goes straight to the central. (The fire's
    /// default chain also tells the on-call at once; these tests are about the central, so
    /// their policy has no chains.)
    func escalated(
        policy: DispatchPolicy = DispatchPolicy(escalation: [:]),
        escalation: EscalationConfiguration = EscalationConfiguration(centralWebhookURL: "https://central.example/hook", onCallContact: "+46700000000")
    ) -> (DispatchCoordinator, [DispatchAction]) {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1"), escalation: escalation), policy: policy)
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 45, .fire, openedAt: F.at(21))), now: F.at(21))
        return (c, actions)
    }

    @Test func webhookDownIsRetriedWithBackOffUnderOneKeyUntilItSucceeds() throws {
        var (c, first) = escalated()
        #expect(first.centralKeys == ["I1-central"])
        #expect(first.onCalls.isEmpty)
        let summary = try #require(first.compactMap { if case .notifyCentral(_, _, let s) = $0 { s } else { nil } }.first)
        #expect(summary == "fire at Brohuset, Gatan 45, Kungsängen: intrusion pir-1 (zone z1) (I1)")
        #expect(c.nextDeadline == nil)  // waiting for the delivery result

        let failed = c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: F.at(21, 0, 2))
        #expect(failed.warningCodes == ["central-delivery-failed"])
        #expect(failed.centralKeys.isEmpty)
        #expect(c.nextDeadline == F.at(21, 0, 32))
        #expect(c.tick(now: F.at(21, 0, 31)).isEmpty)
        #expect(c.tick(now: F.at(21, 0, 32)).centralKeys == ["I1-central"])
        #expect(c.tick(now: F.at(21, 0, 33)).isEmpty)  // one retry per failure

        _ = c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: F.at(21, 0, 34))
        #expect(c.nextDeadline == F.at(21, 1, 34))  // doubled: 60 s
        #expect(c.tick(now: F.at(21, 1, 34)).centralKeys == ["I1-central"])

        let ok = c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: true), now: F.at(21, 1, 35))
        #expect(ok.facts.map(\.cause) == ["central confirmed receipt (attempt 3)"])
        // Replayed or stray results, later ticks: nothing more.
        #expect(c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: true), now: F.at(21, 1, 36)).isEmpty)
        #expect(c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: F.at(21, 1, 37)).isEmpty)
        #expect(c.handle(.centralDelivery(incident: "I1", idempotencyKey: "other", succeeded: false), now: F.at(21, 1, 38)).isEmpty)
        #expect(c.nextDeadline == nil)
        #expect(c.tick(now: F.at(22, 30)).centralKeys.isEmpty)
    }

    @Test func onCallIsToldOnceWhenTheCentralStaysUnreachable() {
        var (c, _) = escalated(policy: DispatchPolicy(centralRetryBase: .seconds(10), centralMaxAttempts: 3, escalation: [:]))
        var now = F.at(21, 0, 1)
        var all: [DispatchAction] = []
        for _ in 1...3 {
            all += c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: now)
            if let due = c.nextDeadline { now = due; all += c.tick(now: now) }
        }
        #expect(all.centralKeys == ["I1-central", "I1-central"])
        #expect(all.warningCodes == ["central-delivery-failed", "central-delivery-failed", "central-unreachable"])
        #expect(all.onCalls == ["+46700000000"])
        #expect(c.nextDeadline == nil)
        #expect(c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: now).isEmpty)
    }

    @Test func onCallWithCentralWhenConfigured() {
        let (_, actions) = escalated(policy: DispatchPolicy(onCallWithCentral: true))
        #expect(actions.centralKeys == ["I1-central"])
        #expect(actions.onCalls == ["+46700000000"])
    }

    @Test func withoutCentralTheOnCallContactIsToldAtOnce() {
        let (_, actions) = escalated(escalation: EscalationConfiguration(onCallContact: "jour"))
        #expect(actions.centralKeys.isEmpty)
        #expect(actions.onCalls == ["jour"])
        #expect(actions.facts.map(\.to) == [.escalated])
    }

    @Test func withNoEscalationConfiguredItIsStillRecorded() {
        let (_, actions) = escalated(escalation: EscalationConfiguration())
        #expect(actions.warningCodes == ["nobody-available"])
        #expect(actions.facts.map(\.cause) == ["no unit available and no escalation configured"])
    }

    @Test func endingTheIncidentStopsRetries() {
        var (c, _) = escalated()
        _ = c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: false), now: F.at(21, 0, 1))
        #expect(c.handle(.incidentEnded("I1", reason: "closed by operator"), now: F.at(21, 0, 5)).isEmpty)
        #expect(c.nextDeadline == nil)
        #expect(c.tick(now: F.at(21, 5)).isEmpty)
    }

    @Test func aUnitComingOnShiftIsAskedWhenThePriorityRisesAfterEscalation() {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1")))
        _ = c.handle(.incidentNeedsGuard(F.incident(at: 45, .unverifiedIntrusion, openedAt: F.at(21, 50))), now: F.at(21, 50))
        _ = c.handle(F.position("P1", 45, F.at(22, 5)), now: F.at(22, 5))
        let rose = c.handle(.incidentNeedsGuard(F.incident(at: 45, .verifiedIntrusion, openedAt: F.at(21, 50))), now: F.at(22, 6))
        #expect(rose.requests.map(\.unit) == ["P1"])
        #expect(rose.facts.first?.kind == .dispatched(unit: "P1", requestID: "I1-1"))
        #expect(rose.centralKeys.isEmpty)
        let accepted = c.handle(F.reply("P1", .accepted, F.at(22, 6, 10)), now: F.at(22, 6, 10))
        #expect(accepted.facts.first?.cause == "P1 accepted (central retries stopped)")
    }
}
