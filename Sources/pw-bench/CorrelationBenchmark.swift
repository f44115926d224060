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
        var nanosecondsPerEvent: Double
        var generatorNanoseconds: Double
        var actions: Int
        var openIncidents: Int
    }

    static func measure(siteCount: Int, events: Int) -> Result {
        let directory = directory(siteCount: siteCount)
        // Generator alone, for the baseline.
        var baseline = Generator(siteCount: siteCount)
        var checksum = 0
        let clock = ContinuousClock()
        let generatorTime = clock.measure {
            for _ in 0..<events {
                let (message, now) = baseline.next()
                if case .alarm(let e) = message { checksum &+= Int(e.sequence) }
                checksum &+= Int(now.millisecondsSinceEpoch & 1)
            }
        }
        var engine = CorrelationEngine(directory: directory, schedule: NightSchedule())
        var generator = Generator(siteCount: siteCount)
        var actions = 0
        for _ in 0..<(events / 10) {  // warm-up: caches, dictionary and array growth
            let (message, now) = generator.next()
            actions &+= engine.handle(message, now: now).count
        }
        let total = clock.measure {
            for _ in 0..<events {
                let (message, now) = generator.next()
                actions &+= engine.handle(message, now: now).count
            }
        }
        if checksum == 42 { print("") }  // keep the baseline loop alive
        let ns = { (d: Duration) in Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9 }
        return Result(
            sites: siteCount, nanosecondsPerEvent: ns(total) / Double(events),
            generatorNanoseconds: ns(generatorTime) / Double(events), actions: actions,
            openIncidents: engine.openIncidents.count)
    }

    static func run() {
        let events = 2_000_000
        print("correlation engine, \(events) events per run, one core")
        var results: [Result] = []
        for sites in [100, 10_000, 100_000] {
            let r = measure(siteCount: sites, events: events)
            results.append(r)
            let engineOnly = max(1, r.nanosecondsPerEvent - r.generatorNanoseconds)
            print("  \(pad(sites, 7)) sites: \(format(1e9 / r.nanosecondsPerEvent / 1e6)) M events/s with generator "
                  + "(\(format(r.nanosecondsPerEvent)) ns/event), engine alone \(format(1e9 / engineOnly / 1e6)) M events/s "
                  + "(\(format(engineOnly)) ns/event); \(r.actions) actions, \(r.openIncidents) open incidents")
        }
        if let first = results.first, let last = results.last {
            let a = first.nanosecondsPerEvent - first.generatorNanoseconds
            let b = last.nanosecondsPerEvent - last.generatorNanoseconds
            print("  cost ratio 100k/100 sites (engine alone): \(format(b / a))")
        }
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
