import PropertyWatchBenchmarkSupport
import PropertyWatchCore

/// Correlation benchmark: per-event cost at 100, 10k and 100k sites with the same per-site
/// event rate (so only the number of sites changes), for the engine alone and for `Watch`
/// (engine and dispatch coordinator), each per message and batched (`handle(batch:)`, what
/// the pipeline calls).
///
/// Each site has a panel (supervised, 1 h heartbeat), two PIRs and a camera. The message mix is a
/// night's: 50 % heartbeats, 20 % intrusion restores, 10 % motion-only camera triggers, 8 % test
/// events, 5 % open/close, 4 % retransmitted duplicates, 2 % intrusion alarms (half at unset
/// sites), 1 % person triggers. Messages are generated outside the timed regions. The engine's
/// work per event is O(1) at any size; what grows with the number of sites is cache misses (at
/// 100 sites all state fits in L2; at 100k a heartbeat touches its index entry and its device's
/// 16-byte liveness, an alarm also its device's alarm state and its site's state). The
/// random-access floor makes the same touches and nothing else, so its ratio 100k/100 is the
/// growth the memory hierarchy alone imposes. The engine and `Watch` run with the same arm
/// schedule, so what `Watch` adds is the dispatch coordinator and the wiring alone.
enum CorrelationBenchmark {
    typealias NightSchedule = CorrelationWorkload.NightSchedule
    typealias Generator = CorrelationWorkload.Generator

    static func directory(siteCount: Int) -> SiteDirectory { CorrelationWorkload.directory(siteCount: siteCount) }

    struct Result {
        var sites: Int
        var events: Int
        /// Nanoseconds per event: the engine alone, per message (`handle(_:now:)`) and batched
        /// (`handle(batch:)`), and `Watch` (engine and dispatch), per message and batched.
        var engineSingle: Double
        var engineBatched: Double
        var watchSingle: Double
        var watchBatched: Double
        /// Pure random access over the same bytes of state, per event.
        var floor: Double
        /// Actions produced in each mode; per message and batched must agree.
        var actions: [Mode: Int]
        var openIncidents: Int
    }

    enum Mode: CaseIterable {
        case engineSingle, engineBatched, watchSingle, watchBatched
    }

    static let eventsPerSite = 20
    static let minimumEvents = 2_000_000
    static let chunk = 4096

    /// Every site gets the same number of events at the same rate, whatever the number of sites,
    /// so per-site behaviour (merging, verification, incidents) is the same; small sizes run
    /// several rounds (each on a fresh engine) to reach `minimumEvents`. Messages are generated
    /// per chunk outside the timed region.
    static func measure(siteCount: Int) -> Result {
        let directory = directory(siteCount: siteCount)
        let engineTemplate = CorrelationEngine(directory: directory, schedule: NightSchedule())
        let watchTemplate = Watch(directory: directory, schedule: NightSchedule())
        let perRound = siteCount * eventsPerSite
        let rounds = max(1, minimumEvents / perRound)
        let clock = ContinuousClock()
        var elapsed: [Mode: Duration] = [:]
        var actions: [Mode: Int] = [:]
        var open = 0
        for mode in Mode.allCases {
            var total = Duration.zero
            var count = 0
            for _ in 0..<rounds {
                var engine = engineTemplate
                var watch = watchTemplate
                var generator = Generator(siteCount: siteCount)
                let start = Timestamp(millisecondsSinceEpoch: generator.now)
                _ = engine.tick(now: start)  // starts supervision
                watch.resume(at: start)
                var done = 0
                var messages: [(InboundMessage, Timestamp)] = []
                messages.reserveCapacity(chunk)
                while done < perRound {
                    messages.removeAll(keepingCapacity: true)
                    for _ in 0..<min(chunk, perRound - done) { messages.append(generator.next()) }
                    done += messages.count
                    switch mode {
                    case .engineSingle:
                        total += clock.measure {
                            for (message, now) in messages { count &+= engine.handle(message, now: now).count }
                        }
                    case .engineBatched:
                        total += clock.measure { count &+= engine.handle(batch: messages).count }
                    case .watchSingle:
                        total += clock.measure {
                            for (message, now) in messages { count &+= watch.handle(message, now: now).count }
                        }
                    case .watchBatched:
                        total += clock.measure { count &+= watch.handle(batch: messages).count }
                    }
                }
                if mode == .engineBatched { open = engine.openIncidents.count }
            }
            elapsed[mode] = total
            actions[mode] = count
        }
        let events = Double(rounds * perRound)
        func perEvent(_ mode: Mode) -> Double { ns(elapsed[mode] ?? .zero) / events }
        return Result(
            sites: siteCount, events: rounds * perRound,
            engineSingle: perEvent(.engineSingle), engineBatched: perEvent(.engineBatched),
            watchSingle: perEvent(.watchSingle), watchBatched: perEvent(.watchBatched),
            floor: randomAccessFloor(siteCount: siteCount, events: rounds * perRound), actions: actions,
            openIncidents: open)
    }

    /// The floor set by the memory hierarchy: per event, read every cache line of one random
    /// device's state and its index entry and one line of its site's state, from arrays of the
    /// engine's own size, 16 independent events at a time.
    /// It does no other work, so its growth from 100 to 100k sites is what cache misses alone cost.
    static func randomAccessFloor(siteCount: Int, events: Int) -> Double {
        let (perDevice, perSite) = CorrelationEngine.stateFootprint
        let devices = siteCount * 4
        let deviceBytes = [UInt8](repeating: 1, count: devices * perDevice)
        let siteBytes = [UInt8](repeating: 1, count: siteCount * perSite)
        var rng: UInt64 = 0x9E37_79B9
        var sum = 0
        let window = 16
        let elapsed = ContinuousClock().measure {
            deviceBytes.withUnsafeBufferPointer { d in
                siteBytes.withUnsafeBufferPointer { s in
                    var done = 0
                    while done < events {
                        for _ in 0..<window {
                            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                            let device = Int((rng >> 33) % UInt64(devices))
                            var offset = device * perDevice
                            let end = offset + perDevice
                            while offset < end {
                                sum &+= Int(d[offset])
                                offset += 64
                            }
                            sum &+= Int(s[(device / 4) * perSite])
                        }
                        done += window
                    }
                }
            }
        }
        if sum == 42 { print("") }
        return ns(elapsed) / Double(events)
    }

    static func ns(_ d: Duration) -> Double { Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9 }

    /// Prints ns per event and M events/s per size, then how the cost grows from 100 to 100k
    /// sites. "Flat" is judged against the random-access floor: its ratio is what the memory
    /// hierarchy alone makes a per-event touch of state cost more at 100k sites (the state no
    /// longer fits in cache); the engine's ratio above that is its own growth.
    static func run() {
        let (perDevice, perSite) = CorrelationEngine.stateFootprint
        print("correlation, one core: the engine alone, and Watch (engine + dispatch coordinator), each per message and "
              + "batched (handle(batch:), what the pipeline calls)")
        print("  \(eventsPerSite) messages per site (at least \(minimumEvents) per size, in fresh rounds at small sizes) over 2000 "
              + "simulated seconds at every size, so per-minute work is spread over 1 message/s at 100 sites and 1000/s at 100k")
        print("  both use the workload's arm schedule (no site ever open); no patrol units, so every incident escalates "
              + "and stays open; \(perDevice) B engine state per device, \(perSite) B per site")
        print("  ns per event (M events/s)")
        print("    sites   engine/message   engine/batch     watch/message    watch/batch      random-access floor")
        var results: [Result] = []
        for sites in [100, 10_000, 100_000] {
            let r = measure(siteCount: sites)
            results.append(r)
            func cell(_ ns: Double) -> String { pad("\(format(ns)) (\(format(1e3 / ns)))", 17) }
            func actions(_ single: Mode, _ batched: Mode) -> String {
                let a = r.actions[single] ?? 0, b = r.actions[batched] ?? 0
                return a == b ? "\(a)" : "\(a) per message but \(b) batched (MISMATCH)"
            }
            print("  \(pad(sites, 7)) \(cell(r.engineSingle))\(cell(r.engineBatched))\(cell(r.watchSingle))\(cell(r.watchBatched))"
                  + "\(pad(format(r.floor), 8)) ns   \(r.events) events; actions: engine \(actions(.engineSingle, .engineBatched)), "
                  + "watch \(actions(.watchSingle, .watchBatched)); \(r.openIncidents) open incidents at the end")
        }
        if let first = results.first, let last = results.last {
            func ratio(_ a: Double, _ b: Double) -> String { format(a / b) }
            print("  watch/engine, batched: " + results.map { "\(ratio($0.watchBatched, $0.engineBatched)) at \($0.sites)" }.joined(separator: ", ")
                  + "; per message: " + results.map { "\(ratio($0.watchSingle, $0.engineSingle)) at \($0.sites)" }.joined(separator: ", "))
            print("  cost ratio 100k/100 sites: engine/message \(ratio(last.engineSingle, first.engineSingle)), "
                  + "engine/batch \(ratio(last.engineBatched, first.engineBatched)), "
                  + "watch/message \(ratio(last.watchSingle, first.watchSingle)), "
                  + "watch/batch \(ratio(last.watchBatched, first.watchBatched)); "
                  + "random-access floor \(ratio(last.floor, first.floor))")
            print("  engine/batch above the floor: \(format(first.engineBatched - first.floor)) ns at 100 sites, "
                  + "\(format(last.engineBatched - last.floor)) ns at 100k (ratio \(ratio(last.engineBatched - last.floor, first.engineBatched - first.floor))); "
                  + "growth not explained by the floor: \(format((last.engineBatched - first.engineBatched) - (last.floor - first.floor))) ns per event")
        }
    }

    /// One size and one mode, for a profiler: `pw-bench correlation-profile <sites> [single|batch] [engine|watch]`.
    static func profile(siteCount: Int, batch: Bool, watch useWatch: Bool) {
        let directory = directory(siteCount: siteCount)
        var engine = CorrelationEngine(directory: directory, schedule: NightSchedule())
        var watch = Watch(directory: directory, schedule: NightSchedule())
        var generator = Generator(siteCount: siteCount)
        _ = engine.tick(now: Timestamp(millisecondsSinceEpoch: generator.now))
        watch.resume(at: Timestamp(millisecondsSinceEpoch: generator.now))
        var messages: [(InboundMessage, Timestamp)] = []
        var actions = 0
        let total = max(siteCount * eventsPerSite, 200_000)
        var done = 0
        while done < total {
            messages.removeAll(keepingCapacity: true)
            for _ in 0..<min(chunk, total - done) { messages.append(generator.next()) }
            done += messages.count
            switch (batch, useWatch) {
            case (true, false): actions &+= engine.handle(batch: messages).count
            case (false, false): for (message, now) in messages { actions &+= engine.handle(message, now: now).count }
            case (true, true): actions &+= watch.handle(batch: messages).count
            case (false, true): for (message, now) in messages { actions &+= watch.handle(message, now: now).count }
            }
        }
        print("\(total) events, \(actions) actions")
    }

    static func format(_ v: Double) -> String {
        let scaled = Int((v * 100).rounded())
        let frac = scaled % 100
        return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    static func pad(_ n: Int, _ width: Int) -> String { pad("\(n)", width) }

    static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
