import PropertyWatchCore

/// The correlation benchmarks' workload: a synthetic night over any number of identical sites
/// (panel, two PIRs, a camera each), generated deterministically outside the timed regions.
public enum CorrelationWorkload {
    public struct NightSchedule: ArmSchedule {
        public init() {}
        public func isOpen(site: SiteID, at time: Timestamp) -> Bool { false }
    }

    /// Builds messages deterministically without allocating (all identifiers are small strings).
    /// Messages carry their device's slot in `directory(siteCount:)`, as decoded messages do.
    public struct Generator {
        let sites: [SiteID]
        let devices: [DeviceID] = ["panel", "pir-1", "pir-2", "cam"]
        /// `directory(siteCount:)` numbers each site's four devices in turn.
        let slots: [DeviceSlot]
        let eventIDs: [String] = (0..<4096).map { "e\($0)" }
        var sequences: [UInt64]
        var rng: UInt64 = 0x1234_5678
        let step: Int64
        public var now: Int64 = 1_795_644_000_000

        public init(siteCount: Int) {
            sites = (0..<siteCount).map { SiteID("s\($0)") }
            let numbering = CorrelationWorkload.directory(siteCount: 1)
            let base = devices.map { numbering.deviceIndex($0, at: "s0")! }
            precondition(base == [0, 1, 2, 3], "the workload's directory numbers devices in order")
            slots = (0..<siteCount * 4).map { DeviceSlot.numbered(device: $0, site: $0 / 4) }
            sequences = Array(repeating: 0, count: siteCount * 4)
            step = Int64(max(1, 100_000 / siteCount))
        }

        mutating func random(_ n: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(n))
        }

        public mutating func next() -> (InboundMessage, Timestamp) {
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
                    sequence: seq, eventID: eventIDs[Int(seq & 4095)], deviceTime: stamp, slot: slots[slot]))
            }
            let message: InboundMessage
            switch roll {
            case 0..<50:
                let device = random(4)
                message = .heartbeat(Heartbeat(site: sites[site], device: devices[device], deviceTime: stamp, slot: slots[site * 4 + device]))
            case 50..<70: message = alarm(1 + random(2), .intrusion, restore: true)
            case 70..<80:
                message = .camera(CameraTrigger(site: sites[site], camera: "cam", zones: [], label: .motion, score: 0.5,
                                                eventID: eventIDs[random(4096)], start: stamp, slot: slots[site * 4 + 3]))
            case 80..<88: message = alarm(0, .test)
            case 88..<93: message = alarm(0, random(4) == 0 ? .open : .close)
            case 93..<97: message = alarm(1, .intrusion, restore: true, resend: true)
            case 97..<99: message = alarm(1 + random(2), .intrusion)
            default:
                message = .camera(CameraTrigger(site: sites[site], camera: "cam", zones: [], label: .person, score: 0.9,
                                                eventID: eventIDs[random(4096)], start: stamp, slot: slots[site * 4 + 3]))
            }
            return (message, stamp)
        }
    }

    public static func directory(siteCount: Int) -> SiteDirectory {
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
}
