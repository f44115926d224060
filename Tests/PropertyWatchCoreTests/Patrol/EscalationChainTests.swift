import Testing
@testable import PropertyWatchCore

/// The escalation chain per priority: unit → next unit → central → on-call with their
/// timeouts, and who is told at once (a fire or a hold-up: the on-call, by default).
@Suite struct EscalationChainTests {
    typealias F = PatrolFixture

    /// P1 at s50 and P2 at s52, with `chains` configured; an incident of `priority` at s50 at 23:00.
    func started(
        _ priority: IncidentPriority, chains: [IncidentPriority: EscalationChain] = [:], defaultChain: EscalationChain? = nil,
        policy: DispatchPolicy = DispatchPolicy()
    ) -> (DispatchCoordinator, [DispatchAction]) {
        var escalation = EscalationConfiguration(centralWebhookURL: "https://central.example/hook", onCallContact: "+46700000000")
        escalation.chains = chains
        escalation.defaultChain = defaultChain
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1", "P2"), escalation: escalation), policy: policy)
        _ = c.handle(F.position("P1", 50, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(F.position("P2", 52, F.at(22, 59)), now: F.at(22, 59))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 50, priority, openedAt: F.at(23))), now: F.at(23))
        return (c, actions)
    }

    /// Runs every timer up to `end`, nobody answering.
    func unanswered(_ c: inout DispatchCoordinator, until end: Timestamp) -> [(Timestamp, DispatchAction)] {
        var all: [(Timestamp, DispatchAction)] = []
        while let due = c.nextDeadline, due <= end { all += c.tick(now: due).map { (due, $0) } }
        return all
    }

    @Test(arguments: [
        (IncidentPriority.fire, true), (.holdUp, true), (.verifiedIntrusion, false), (.unverifiedIntrusion, false), (.trouble, false),
    ])
    func fireAndHoldUpTellTheOnCallAtOnce(priority: IncidentPriority, atOnce: Bool) {
        let (_, first) = started(priority)
        #expect(first.requests.map(\.unit) == ["P1"])
        #expect(first.onCalls == (atOnce ? ["+46700000000"] : []))
        #expect(first.warningCodes == (atOnce ? ["on-call-notified"] : []))
        #expect(first.centralKeys.isEmpty)
    }

    @Test func aRisingPriorityTellsTheOnCallOnceItBecomesAFire() {
        var (c, _) = started(.unverifiedIntrusion)
        let rose = c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 0, 30))
        #expect(rose.onCalls == ["+46700000000"])
        #expect(c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 0, 40)).onCalls.isEmpty)
    }

    struct Chain: Sendable, CustomTestStringConvertible {
        var priority: IncidentPriority
        var chain: EscalationChain
        /// Units asked, then when the central and the on-call are told (seconds after 23:00).
        var units: [UnitID]
        var central: Int
        var onCall: Int?
        var testDescription: String { "\(priority.name) \(chain)" }
    }

    static let chains: [Chain] = [
        // Two units of 60 s, the central, the on-call 2 min after the central.
        Chain(priority: .verifiedIntrusion, chain: EscalationChain(unitTimeout: .seconds(60), centralTimeout: .minutes(2)),
              units: ["P1", "P2"], central: 120, onCall: 240),
        // One unit only, then the central at once.
        Chain(priority: .verifiedIntrusion, chain: EscalationChain(unitTimeout: .seconds(90), maxUnits: 1, centralTimeout: .minutes(5)),
              units: ["P1"], central: 90, onCall: 390),
        // Without a central timeout the on-call hears only if the central cannot be reached.
        Chain(priority: .unverifiedIntrusion, chain: EscalationChain(maxUnits: 2), units: ["P1", "P2"], central: 360, onCall: nil),
        // A fire: the on-call at once (0 s), the central after both units.
        Chain(priority: .fire, chain: EscalationChain(centralTimeout: .minutes(1)), units: ["P1", "P2"], central: 120, onCall: 0),
    ]

    @Test(arguments: chains)
    func anUnansweredRequestEscalatesThroughTheWholeChain(c chain: Chain) {
        var (c, first) = started(chain.priority, chains: [chain.priority: chain.chain])
        let all = first.map { (F.at(23), $0) } + unanswered(&c, until: F.at(23, 30))
        func seconds(_ t: Timestamp) -> Int { Int((t - F.at(23)).value / 1000) }
        #expect(all.compactMap { if case .requestGuard(let r) = $1 { r.unit } else { nil } } == chain.units)
        let central = all.filter { if case .notifyCentral = $1 { true } else { false } }.map { seconds($0.0) }
        #expect(central == [chain.central])
        let onCall = all.filter { if case .notifyOnCall = $1 { true } else { false } }.map { seconds($0.0) }
        #expect(onCall == (chain.onCall.map { [$0] } ?? []))
        let escalated = all.compactMap { if case .fact(let t) = $1, t.to == .escalated { t } else { nil } }
        #expect(escalated.count == 1)
        if chain.chain.maxUnits == 1 { #expect(escalated.first?.cause.contains("1 unit asked, as many as the chain allows") == true) }
    }

    @Test func aUnitTakingTheIncidentInTimeStopsTheOnCall() {
        var (c, _) = started(.verifiedIntrusion, chains: [.verifiedIntrusion: EscalationChain(maxUnits: 1, centralTimeout: .minutes(5))])
        let escalated = c.tick(now: F.at(23, 2))
        #expect(escalated.centralKeys == ["I1-central"])
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 3)), now: F.at(23, 3))
        #expect(unanswered(&c, until: F.at(23, 30)).isEmpty)
    }

    @Test func theCentralToldAtOnceIsNotToldTwice() {
        var (c, first) = started(.holdUp, chains: [.holdUp: EscalationChain(atOnce: [.central, .onCall])])
        #expect(first.centralKeys == ["I1-central"])
        #expect(first.onCalls == ["+46700000000"])
        #expect(first.warningCodes == ["central-notified", "on-call-notified"])
        _ = c.handle(.centralDelivery(incident: "I1", idempotencyKey: "I1-central", succeeded: true), now: F.at(23, 0, 1))
        let rest = unanswered(&c, until: F.at(23, 30)).map(\.1)
        #expect(rest.centralKeys.isEmpty)
        #expect(rest.onCalls.isEmpty)
        #expect(rest.facts.last?.cause.hasSuffix("no unit available; guard company central already notified") == true)
    }

    @Test func configuredChainsLieOverThePolicyMemberByMember() {
        let policy = DispatchPolicy().applying({
            var e = EscalationConfiguration()
            e.defaultChain = EscalationChain(unitTimeout: .seconds(45), centralTimeout: .minutes(3))
            e.chains = [.fire: EscalationChain(unitTimeout: .seconds(30))]
            return e
        }())
        #expect(policy.acknowledgementTimeout(for: .fire) == .seconds(30))
        #expect(policy.acknowledgementTimeout(for: .trouble) == .seconds(45))
        #expect(policy.chain(for: .fire).atOnce == [.onCall])
        #expect(policy.chain(for: .fire).centralTimeout == .minutes(3))
        #expect(policy.chain(for: .verifiedIntrusion).atOnce == nil)
    }
}
