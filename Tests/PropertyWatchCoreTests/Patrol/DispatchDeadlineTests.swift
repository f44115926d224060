import Testing
@testable import PropertyWatchCore

/// The coordinator's deadline heap, and `nextDeadline` against a scan of all its state.
@Suite struct DispatchDeadlineTests {
    typealias F = PatrolFixture

    static func entry(_ ms: Int64, _ kind: IncidentDeadline.Kind = .acknowledgement, _ id: String = "I1") -> IncidentDeadline {
        IncidentDeadline(at: Timestamp(millisecondsSinceEpoch: ms), kind: kind, incident: IncidentID(id))
    }

    @Test func heapPopsInOrderWithManyEntries() {
        var heap = DeadlineHeap<IncidentDeadline>()
        var rng = SeededRandom(seed: 7)
        var all: [IncidentDeadline] = []
        for i in 0..<5_000 {
            let e = Self.entry(Int64(rng.next(1_000)), rng.next(2) == 0 ? .acknowledgement : .centralRetry, "I\(i % 300)")
            all.append(e)
            heap.push(e)
            if i % 7 == 0, let popped = heap.pop() {
                all.remove(at: all.firstIndex(of: popped)!)
                #expect(all.allSatisfy { !($0 < popped) })
            }
        }
        #expect(heap.count == all.count)
        var out: [IncidentDeadline] = []
        while let e = heap.pop() { out.append(e) }
        #expect(out == all.sorted())
        #expect(heap.isEmpty && heap.first == nil)
    }

    @Test func tiesAreOrderedByKindThenIncident() {
        var heap = DeadlineHeap<IncidentDeadline>()
        for e in [Self.entry(5, .centralRetry, "I1"), Self.entry(5, .acknowledgement, "I2"), Self.entry(5, .acknowledgement, "I10"),
                  Self.entry(4, .centralRetry, "I9"), Self.entry(5, .acknowledgement, "I2")] {
            heap.push(e)
        }
        var out: [IncidentDeadline] = []
        while let e = heap.pop() { out.append(e) }
        #expect(out == [Self.entry(4, .centralRetry, "I9"), Self.entry(5, .acknowledgement, "I10"), Self.entry(5, .acknowledgement, "I2"),
                        Self.entry(5, .acknowledgement, "I2"), Self.entry(5, .centralRetry, "I1")])
    }

    @Test func cancelledAndReplacedTimeoutsDoNotResurface() {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1", "P2")))
        _ = c.handle(F.position("P1", 50, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(F.position("P2", 52, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(.incidentNeedsGuard(F.incident(at: 50, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        #expect(c.nextDeadline == F.at(23, 3))
        // The priority rises: P1 is told, and the deadline it was given stands.
        _ = c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 0, 10))
        #expect(c.nextDeadline == F.at(23, 3))
        #expect(c.tick(now: F.at(23, 2)).isEmpty)
        let timedOut = c.tick(now: F.at(23, 3))
        #expect(timedOut.warningCodes == ["ack-timeout"])
        #expect(timedOut.requests.map(\.unit) == ["P2"])
        #expect(c.nextDeadline == F.at(23, 4))
        // Cancelled: P2 accepts; its 23:04 entry does not come back.
        _ = c.handle(F.reply("P2", .accepted, F.at(23, 3, 30)), now: F.at(23, 3, 30))
        #expect(c.nextDeadline == nil)
        #expect(c.tick(now: F.at(23, 5)).isEmpty)
        #expect(c.deadlines.isEmpty)
    }

    /// The deadline `nextDeadline` stood for before the heap: a scan of every open incident,
    /// pending stop and geofence stay.
    static func scanned(_ c: DispatchCoordinator) -> Timestamp? {
        var all: [Timestamp] = []
        for d in c.incidents.values where !d.ended {
            all += [d.pending?.deadline, d.central?.nextRetry].compactMap { $0 }
        }
        for route in c.routes {
            all += route.stops.filter { $0.status == .pending }.map(\.windowEnd)
        }
        all += c.unitIDs.compactMap { c.stayDue(of: $0) }
        return all.min()
    }

    @Test(arguments: [1, 2, 3, 4])
    func nextDeadlineEqualsAScanOverAGeneratedNight(seed: UInt64) {
        var night = GeneratedNight(seed: seed)
        var checked = 0
        night.run { c, now, wasTick in
            #expect(c.nextDeadline == Self.scanned(c), "at \(now)")
            if wasTick { #expect(Self.scanned(c).map { $0 > now } ?? true, "left due at \(now)") }
            checked += 1
        }
        #expect(checked > 1_000)
        for code in ["ack-timeout", "missed-stop", "central-delivery-failed", "stand-down", "late-stop"] {
            #expect(night.actions.warningCodes.contains(code), "\(code) never happened")
        }
        let retried = Dictionary(grouping: night.actions.centralKeys, by: { $0 }).values.contains { $0.count > 1 }
        #expect(retried)
        #expect(night.actions.facts.contains { $0.to == .onSite })
    }
}

/// A small deterministic generator (64-bit LCG).
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
}

/// A busy night for four units, two with routes: incidents, rising priorities, replies of
/// every kind (also late, stray and repeated), positions, check-ins, units going off duty,
/// central deliveries that fail and succeed, directed checks; timers fired at `nextDeadline`
/// as `Watch` does.
struct GeneratedNight {
    typealias F = PatrolFixture
    var rng: SeededRandom
    var c: DispatchCoordinator
    var actions: [DispatchAction] = []

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        let routes = [
            RouteConfiguration(id: "a", unit: "P1", stops: [
                F.stop(45, (22, 0), (22, 40), dwell: 5), F.stop(47, (23, 0), (23, 30), dwell: 5),
                F.stop(50, (0, 30), (1, 0), dwell: 5), F.stop(45, (2, 0), (2, 30), dwell: 5), F.stop(55, (4, 0), (4, 40), dwell: 5),
            ]),
            RouteConfiguration(id: "b", unit: "P2", stops: [
                F.stop(52, (22, 10), (22, 30), dwell: 5), F.stop(58, (23, 30), (0, 0), dwell: 5), F.stop(41, (3, 0), (3, 20), dwell: 5),
            ]),
        ]
        c = DispatchCoordinator(
            directory: F.directory(units: F.units("P1", "P2", "P3", "P4"), routes: routes),
            policy: DispatchPolicy(centralRetryBase: .seconds(20), centralMaxAttempts: 4))
    }

    mutating func run(check: (DispatchCoordinator, Timestamp, Bool) -> Void) {
        var now = F.at(21, 30)
        let end = F.at(6, 30)
        var incidents = 0
        let units: [UnitID] = ["P1", "P2", "P3", "P4"]
        while now < end {
            now = now + .seconds(Int64(3 + rng.next(40)))
            while let due = c.nextDeadline, due <= now {
                actions += c.tick(now: due)
                check(c, due, true)
            }
            let unit = units[rng.next(units.count)]
            let site = 40 + rng.next(21)
            let known = IncidentID("I\(max(1, incidents - rng.next(6)))")
            let input: DispatchInput
            switch rng.next(100) {
            case 0..<12:
                incidents += 1
                input = .incidentNeedsGuard(F.incident("I\(incidents)", at: site, IncidentPriority.allCases[rng.next(7)], openedAt: now))
            case 12..<16:
                guard let d = c.incidents[known] else { continue }
                var incident = d.incident
                incident.priority = IncidentPriority.allCases[rng.next(7)]
                input = .incidentNeedsGuard(incident)
            case 16..<20:
                input = .incidentEnded(rng.next(5) == 0 ? IncidentID("X\(rng.next(99))") : known, reason: "closed")
            case 20..<45:
                let between = rng.next(3) == 0 ? 0.004 : 0
                let p = F.coordinate(site)
                input = .position(UnitPosition(
                    unit: unit, position: Coordinate(latitude: p.latitude + between, longitude: p.longitude), speed: 0,
                    time: now - .seconds(Int64(rng.next(3)))))
            case 45..<52:
                input = .checkIn(CheckIn(unit: unit, site: F.site(site), method: .tag, present: rng.next(4) != 0, time: now))
            case 52..<55:
                input = .unitStatus(UnitStatusReport(unit: unit, state: UnitState.allCases[rng.next(4)], time: now))
            case 55..<85:
                input = .reply(GuardReply(
                    unit: unit, incident: known, kind: GuardReply.Kind.allCases[rng.next(5)],
                    outcome: .falseAlarm, note: nil, time: now))
            case 85..<97:
                input = .centralDelivery(incident: known, idempotencyKey: "\(known)-central", succeeded: rng.next(3) == 0)
            default:
                input = .directedCheck(site: F.site(site), notBefore: rng.next(2) == 0 ? nil : now + .minutes(30), by: "ops", reason: "r\(rng.next(3))")
            }
            actions += c.handle(input, now: now)
            check(c, now, false)
            if rng.next(50) == 0 {
                actions += c.resume(at: now)
                check(c, now, false)
            }
        }
    }
}
