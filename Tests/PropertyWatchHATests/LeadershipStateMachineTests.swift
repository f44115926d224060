import PropertyWatchHA
import Testing

/// The leader lease, driven with records and a clock: no broker.
@Suite struct LeadershipStateMachineTests {
    let settings = LeadershipSettings(silenceMilliseconds: 3_000)  // renew 1 s, fence 2 s, settle 1 s

    func record(_ node: String, _ term: UInt64, released: Bool = false) -> LeaseRecord {
        LeaseRecord(node: node, term: term, renewedAt: 0, expiresAt: 0, released: released)
    }

    /// Feeds back every record the machine publishes, as the broker would, and returns all actions.
    func echo(_ machine: inout LeadershipStateMachine, _ actions: [LeadershipStateMachine.Action], now: Int64) -> [LeadershipStateMachine.Action] {
        var all = actions
        for case .publish(let r) in actions { all += machine.received(r, now: now) }
        return all
    }

    func becomesActive(_ actions: [LeadershipStateMachine.Action]) -> Bool {
        actions.contains { if case .becomeActive = $0 { true } else { false } }
    }

    func fences(_ actions: [LeadershipStateMachine.Action]) -> Bool {
        actions.contains { if case .becomeStandby = $0 { true } else { false } }
    }

    /// A lone node claims term 1 after listening, and is active once the claim settles.
    func lone(_ name: String = "a") -> LeadershipStateMachine {
        var m = LeadershipStateMachine(node: name, settings: settings)
        _ = m.connected(now: 0)
        _ = echo(&m, m.tick(now: 1_000), now: 1_000)
        _ = m.tick(now: 2_000)
        return m
    }

    @Test func aLoneNodeClaimsAfterListeningAndBecomesActiveAfterSettling() {
        var m = LeadershipStateMachine(node: "a", settings: settings)
        #expect(m.connected(now: 0).isEmpty)
        #expect(m.tick(now: 999).isEmpty)
        let claim = m.tick(now: 1_000)
        #expect(claim == [.publish(LeaseRecord(node: "a", term: 1, renewedAt: 1_000, expiresAt: 4_000))])
        #expect(m.role == .candidate)
        _ = m.received(record("a", 1), now: 1_010)
        #expect(m.tick(now: 1_999).isEmpty)
        let actions = m.tick(now: 2_000)
        #expect(actions.first == .becomeActive(term: 1))
        #expect(m.role == .active)
        #expect(m.takeovers == 1)
    }

    @Test func aRetainedLeaderKeepsANewNodeStandby() {
        var m = LeadershipStateMachine(node: "b", settings: settings)
        _ = m.connected(now: 0)
        _ = m.received(record("a", 4), now: 5)
        #expect(m.role == .standby)
        #expect(m.tick(now: 2_000).isEmpty)
        _ = m.received(record("a", 4), now: 2_500)
        #expect(m.tick(now: 5_499).isEmpty)
        // Silent for the whole silence: claim the next term.
        #expect(m.tick(now: 5_500) == [.publish(LeaseRecord(node: "b", term: 5, renewedAt: 5_500, expiresAt: 8_500))])
    }

    @Test func theLeadersReleaseStartsAClaimAtOnce() {
        var m = LeadershipStateMachine(node: "b", settings: settings)
        _ = m.connected(now: 0)
        _ = m.received(record("a", 2), now: 10)
        let actions = m.received(.released(node: "a"), now: 20)
        #expect(actions == [.publish(LeaseRecord(node: "b", term: 3, renewedAt: 20, expiresAt: 3_020))])
        _ = m.received(record("b", 3), now: 25)
        #expect(becomesActive(m.tick(now: 1_020)))
    }

    @Test func aReleaseOfANodeThatIsNotTheLeaderIsIgnored() {
        var m = LeadershipStateMachine(node: "c", settings: settings)
        _ = m.connected(now: 0)
        _ = m.received(record("a", 2), now: 10)
        #expect(m.received(.released(node: "b"), now: 20).isEmpty)
        #expect(m.role == .standby)
    }

    @Test(arguments: [true, false])
    func twoNodesClaimingAtOnceAgreeOnTheClaimDeliveredFirst(bFirst: Bool) {
        var a = LeadershipStateMachine(node: "a", settings: settings)
        var b = LeadershipStateMachine(node: "b", settings: settings)
        _ = a.connected(now: 0)
        _ = b.connected(now: 0)
        let claimA = a.tick(now: 1_000)
        let claimB = b.tick(now: 1_000)
        // The broker delivers both claims to both, in the same order.
        var published: [LeaseRecord] = []
        for case .publish(let r) in bFirst ? claimB + claimA : claimA + claimB { published.append(r) }
        var aActions: [LeadershipStateMachine.Action] = []
        var bActions: [LeadershipStateMachine.Action] = []
        for r in published {
            aActions += a.received(r, now: 1_005)
            bActions += b.received(r, now: 1_005)
        }
        let (winner, loser, loserActions) = bFirst ? (b, a, aActions) : (a, b, bActions)
        var w = winner
        var l = loser
        #expect(fences(loserActions))
        #expect(l.role == .standby)
        #expect(l.leader?.node == w.node)
        #expect(w.role == .candidate)
        #expect(becomesActive(w.tick(now: 2_000)))
        #expect(!becomesActive(l.tick(now: 2_000)))
    }

    @Test func aLateClaimForTheSameTermLosesToTheLeader() {
        // b leads term 2; a's claim for term 2 sat in a partitioned link and arrives now.
        var b = LeadershipStateMachine(node: "b", settings: settings)
        _ = b.connected(now: 0)
        _ = b.received(record("a", 1), now: 10)
        _ = echo(&b, b.received(.released(node: "a"), now: 20), now: 20)
        _ = b.tick(now: 1_020)
        #expect(b.role == .active)
        let actions = b.received(record("a", 2), now: 1_100)
        #expect(actions == [.publish(LeaseRecord(node: "b", term: 2, renewedAt: 1_100, expiresAt: 4_100))])
        #expect(b.role == .active)
        // A standby that saw b's claim first keeps following b.
        var c = LeadershipStateMachine(node: "c", settings: settings)
        _ = c.connected(now: 0)
        _ = c.received(record("b", 2), now: 30)
        _ = c.received(record("a", 2), now: 1_100)
        #expect(c.leader?.node == "b")
        // And a, when it hears b's record after the partition, stays standby.
        var a = LeadershipStateMachine(node: "a", settings: settings)
        _ = a.connected(now: 0)
        _ = a.received(record("b", 2), now: 5)
        _ = a.received(record("a", 2), now: 6)
        #expect(a.role == .standby)
        #expect(a.leader?.node == "b")
    }

    @Test func theActiveRenewsEveryThirdOfTheSilence() {
        var m = lone()
        #expect(m.tick(now: 2_500).isEmpty)
        #expect(m.tick(now: 3_000) == [.publish(LeaseRecord(node: "a", term: 1, renewedAt: 3_000, expiresAt: 6_000))])
    }

    @Test func theActiveFencesWhenItsRenewalsStopComingBack() {
        var m = lone()
        // The last echo was at 1 000; renewals are published but never come back.
        _ = m.tick(now: 2_900)
        #expect(m.tick(now: 3_000).allSatisfy { !fences([$0]) })
        let actions = m.tick(now: 3_001)
        #expect(actions == [.becomeStandby(reason: "lease not renewed")])
        #expect(m.role == .standby)
        #expect(m.leaseExpiresAt == nil)
    }

    @Test func theActiveFencesBeforeAnyStandbyMayTakeOver() {
        // Both hear the active's last renewal at the same moment.
        var active = lone()
        var standby = LeadershipStateMachine(node: "b", settings: settings)
        _ = standby.connected(now: 0)
        _ = standby.received(record("a", 1), now: 1_000)
        var fencedAt: Int64?
        var tookOverAt: Int64?
        for now in stride(from: Int64(1_000), through: 6_000, by: 10) {
            if fencedAt == nil, fences(active.tick(now: now)) { fencedAt = now }
            if tookOverAt == nil, case .publish? = standby.tick(now: now).first { tookOverAt = now }
        }
        let fenced = try! #require(fencedAt)
        let tookOver = try! #require(tookOverAt)
        // A whole renewal apart, up to the 10 ms step of this loop.
        #expect(tookOver - fenced >= settings.renewMilliseconds - 10)
    }

    @Test func theActiveFencesAtOnceWhenTheBrokerIsLost() {
        var m = lone()
        #expect(m.disconnected(now: 2_100) == [.becomeStandby(reason: "broker connection lost")])
        #expect(m.tick(now: 2_200).isEmpty)
        // Reconnected: it waits out its own old lease like any standby, then claims term 2.
        _ = m.connected(now: 2_300)
        #expect(m.tick(now: 3_000).isEmpty)
        #expect(m.tick(now: 4_000) == [.publish(LeaseRecord(node: "a", term: 2, renewedAt: 4_000, expiresAt: 7_000))])
    }

    @Test func aHigherTermFencesAStaleLeader() {
        var m = lone()
        let actions = m.received(record("b", 2), now: 2_100)
        #expect(actions == [.becomeStandby(reason: "outranked by b term 2")])
        #expect(m.leader?.node == "b")
    }

    @Test func aLowerTermIsAnsweredWithTheLeadersRecord() {
        var m = lone("b")
        let actions = m.received(record("a", 0), now: 2_100)
        #expect(actions == [.publish(LeaseRecord(node: "b", term: 1, renewedAt: 2_100, expiresAt: 5_100))])
        #expect(m.role == .active)
    }

    @Test func theActivesOwnStaleWillIsOverwritten() {
        var m = lone()
        let actions = m.received(.released(node: "a"), now: 2_100)
        #expect(actions == [.publish(LeaseRecord(node: "a", term: 1, renewedAt: 2_100, expiresAt: 5_100))])
        #expect(m.role == .active)
    }

    @Test func aClaimThatTheBrokerNeverEchoesIsAbandoned() {
        var m = LeadershipStateMachine(node: "a", settings: settings)
        _ = m.connected(now: 0)
        _ = m.tick(now: 1_000)
        #expect(m.tick(now: 3_000).isEmpty)
        #expect(m.tick(now: 3_001) == [.becomeStandby(reason: "claim not echoed by the broker")])
    }

    @Test func aRestartedNodeWaitsOutItsOwnEarlierLease() {
        var m = LeadershipStateMachine(node: "a", settings: settings)
        _ = m.connected(now: 0)
        _ = m.received(record("a", 7), now: 5)
        #expect(m.tick(now: 1_000).isEmpty)
        #expect(m.tick(now: 3_005) == [.publish(LeaseRecord(node: "a", term: 8, renewedAt: 3_005, expiresAt: 6_005))])
    }

    @Test func aCleanShutdownReleases() {
        var m = lone()
        #expect(m.release(now: 2_100) == [.becomeStandby(reason: "shutting down"), .publish(.released(node: "a"))])
        var standby = LeadershipStateMachine(node: "b", settings: settings)
        #expect(standby.release(now: 0).isEmpty)
    }

    @Test func theRecordRoundTrips() {
        let r = LeaseRecord(node: "a", term: 3, renewedAt: 10, expiresAt: 20)
        #expect(LeaseRecord.decode(r.encoded()) == r)
        #expect(LeaseRecord.decode([]) == nil)
        #expect(LeaseRecord.decode(Array("nonsense".utf8)) == nil)
    }
}
