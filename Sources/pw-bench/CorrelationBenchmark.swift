import PropertyWatchCore

/// Correlation engine benchmark: events per second and per-event cost at 100, 10k and 100k
/// sites, with the same per-site event rate (so only the number of sites changes).
///
/// Each site has a panel (supervised, 1 h heartbeat), two PIRs and a camera. The message mix is a
/// night's: 50 % heartbeats, 20 % intrusion restores, 10 % motion-only camera triggers, 8 % test
/// events, 5 % open/close, 4 % retransmitted duplicates, 2 % intrusion alarms (half at unset
/// sites), 1 % person triggers. Messages are built on the fly; the generator's own cost is
/// measured separately and subtracted for the engine-only figures. The work per event is O(1) at
/// any size; what grows with the number of sites is cache misses (at 100 sites all state fits in
/// L2; at 100k a message costs about three misses: device index, device state, site state).
enum CorrelationBenchmark {
    struct NightSchedule: ArmSchedule {
        func isOpen(site: SiteID, at time: Timestamp) -> Bool { false }
    }

    /// Builds messages deterministically without allocating (all identifiers are small strings).
    struct Generator {
        let sites: [SiteID]
        let devices: [DeviceID] = ["panel", "pir-1", "pir-2", "cam"]
        let eventIDs: [String] = (0..<4096).map { "e\($0)" }
        var sequences: [UInt64]
        var rng: UInt64 = 0x1234_5678
        let step: Int64
        var now: Int64 = 1_795_644_000_000

        init(siteCount: Int) {
            sites = (0..<siteCount).map { SiteID("s\($0)") }
            sequences = Array(repeating: 0, count: siteCount * 4)
            step = Int64(max(1, 100_000 / siteCount))
        }

        mutating func random(_ n: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(n))
        }

        mutating func next() -> (InboundMessage, Timestamp) {
            now += step
            let site = random(sites.count)
            let roll = random(100)
            let stamp = Timestamp(millisecondsSinceEpoch: now)
            func alarm(_ device: Int, _ eventClass: EventClass, restore: Bool = false, resend: Bool = false) -> InboundMessage {
                let slot = site * 4 + device
                if !resend || sequences[slot] == 0 { sequences[slot] += 1 }
                let seq = sequences[slot]
                return .alarm(AlarmEvent(
                    site: sites[site], device: devices[device], eventClass: eventClass, isRestore: restore,
                    sequence: seq, eventID: eventIDs[Int(seq & 4095)], deviceTime: stamp))
            }
            let message: InboundMessage
            switch roll {
            case 0..<50: message = .heartbeat(Heartbeat(site: sites[site], device: devices[random(4)], deviceTime: stamp))
            case 50..<70: message = alarm(1 + random(2), .intrusion, restore: true)
            case 70..<80:
                message = .camera(CameraTrigger(site: sites[site], camera: "cam", zones: [], label: .motion, score: 0.5,
                                                eventID: eventIDs[random(4096)], start: stamp))
            case 80..<88: message = alarm(0, .test)
            case 88..<93: message = alarm(0, random(4) == 0 ? .open : .close)
            case 93..<97: message = alarm(1, .intrusion, restore: true, resend: true)
            case 97..<99: message = alarm(1 + random(2), .intrusion)
            default:
                message = .camera(CameraTrigger(site: sites[site], camera: "cam", zones: [], label: .person, score: 0.9,
                                                eventID: eventIDs[random(4096)], start: stamp))
            }
            return (message, stamp)
        }
    }

    static func directory(siteCount: Int) -> SiteDirectory {
        let sites = (0..<siteCount).map { i in
            SiteConfiguration(
                id: SiteID("s\(i)"), name: "Site \(i)", kind: i % 50 == 0 ? .civic : .school, address: "",
                location: Coordinate(latitude: 59.5, longitude: 17.6),
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 3600),
                    DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a"),
                    DeviceConfiguration(id: "pir-2", kind: .pir, zone: "b"),
                    DeviceConfiguration(id: "cam", kind: .camera, cameraZones: ["a"]),
                ])
        }
        return SiteDirectory(WatchConfiguration(sites: sites))
    }

    struct Result {
        var sites: Int
        var events: Int
        /// Engine only: `handle(_:now:)` per message, and `handle(batch:)`.
        var single: Double
        var batched: Double
        /// Pure random access over the same bytes of state, per event.
        var baseline: Double
        var actions: Int
        var openIncidents: Int
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
        let template = CorrelationEngine(directory: directory, schedule: NightSchedule())
        let perRound = siteCount * eventsPerSite
        let rounds = max(1, minimumEvents / perRound)
        let clock = ContinuousClock()
        var single = Duration.zero, batched = Duration.zero
        var actions = 0, open = 0
        for batch in [false, true] {
            for _ in 0..<rounds {
                var engine = template
                var generator = Generator(siteCount: siteCount)
                _ = engine.tick(now: Timestamp(millisecondsSinceEpoch: generator.now))  // starts supervision
                var done = 0
                var messages: [(InboundMessage, Timestamp)] = []
                messages.reserveCapacity(chunk)
                while done < perRound {
                    messages.removeAll(keepingCapacity: true)
                    for _ in 0..<min(chunk, perRound - done) { messages.append(generator.next()) }
                    done += messages.count
                    if batch {
                        batched += clock.measure { actions &+= engine.handle(batch: messages).count }
                    } else {
                        single += clock.measure {
                            for (message, now) in messages { actions &+= engine.handle(message, now: now).count }
                        }
                    }
                }
                open = engine.openIncidents.count
            }
        }
        let events = Double(rounds * perRound)
        return Result(
            sites: siteCount, events: rounds * perRound, single: ns(single) / events, batched: ns(batched) / events,
            baseline: randomAccessBaseline(siteCount: siteCount, events: rounds * perRound), actions: actions / 2,
            openIncidents: open)
    }

    /// The floor set by the memory hierarchy: per event, read every cache line of one random
    /// device's state and its index entry and one line of its site's state, from arrays of the
    /// engine's own size, in windows of `CorrelationEngine.batchWindow` like `handle(batch:)`.
    static func randomAccessBaseline(siteCount: Int, events: Int) -> Double {
        let (perDevice, perSite) = CorrelationEngine.stateFootprint
        let devices = siteCount * 4
        let deviceBytes = [UInt8](repeating: 1, count: devices * perDevice)
        let siteBytes = [UInt8](repeating: 1, count: siteCount * perSite)
        var rng: UInt64 = 0x9E37_79B9
        var sum = 0
        let window = CorrelationEngine.batchWindow
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

    static func run() {
        let (perDevice, perSite) = CorrelationEngine.stateFootprint
        print("correlation engine, one core, \(eventsPerSite) events per site (at least \(minimumEvents) per size), "
              + "\(perDevice) B state per device, \(perSite) B per site")
        var results: [Result] = []
        for sites in [100, 10_000, 100_000] {
            let r = measure(siteCount: sites)
            results.append(r)
            print("  \(pad(sites, 7)) sites: handle \(format(1e9 / r.single / 1e6)) M events/s (\(format(r.single)) ns/event), "
                  + "handle(batch:) \(format(1e9 / r.batched / 1e6)) M events/s (\(format(r.batched)) ns/event); "
                  + "random-access floor \(format(r.baseline)) ns/event, batch minus floor \(format(r.batched - r.baseline)) ns; "
                  + "\(r.events) events, \(r.actions) actions, \(r.openIncidents) open incidents")
        }
        if let first = results.first, let last = results.last {
            print("  cost ratio 100k/100 sites: handle \(format(last.single / first.single)), handle(batch:) "
                  + "\(format(last.batched / first.batched)), floor \(format(last.baseline / first.baseline)), "
                  + "batch minus floor \(format((last.batched - last.baseline) / (first.batched - first.baseline)))")
        }
    }

    /// One size and one mode, for a profiler: `pw-bench correlation-profile <sites> [single|batch]`.
    static func profile(siteCount: Int, batch: Bool) {
        let directory = directory(siteCount: siteCount)
        var engine = CorrelationEngine(directory: directory, schedule: NightSchedule())
        var generator = Generator(siteCount: siteCount)
        _ = engine.tick(now: Timestamp(millisecondsSinceEpoch: generator.now))
        var messages: [(InboundMessage, Timestamp)] = []
        var actions = 0
        let total = max(siteCount * eventsPerSite, 200_000)
        var done = 0
        while done < total {
            messages.removeAll(keepingCapacity: true)
            for _ in 0..<min(chunk, total - done) { messages.append(generator.next()) }
            done += messages.count
            if batch {
                actions &+= engine.handle(batch: messages).count
            } else {
                for (message, now) in messages { actions &+= engine.handle(message, now: now).count }
            }
        }
        print("\(total) events, \(actions) actions")
    }

    static func format(_ v: Double) -> String {
        let scaled = Int((v * 100).rounded())
        let frac = scaled % 100
        return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = "\(n)"
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
