import PropertyWatchCore

/// Makes up a plausible night from a seed: lone detector triggers, intrusions verified by a
/// second detector or a camera, vandalism seen by cameras, the odd fire alarm, with restores.
public struct NightGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Alarm incidents per night (each one or two detectors, maybe a camera).
        public var alarms: Int = 6
        /// Camera-only detections per night.
        public var cameraDetections: Int = 3
        /// Whether an occasional fire alarm is included.
        public var fire: Bool = true
        public var cameraFormat: CameraSimulator.Format = .ours

        public init(alarms: Int = 6, cameraDetections: Int = 3, fire: Bool = true, cameraFormat: CameraSimulator.Format = .ours) {
            self.alarms = alarms
            self.cameraDetections = cameraDetections
            self.fire = fire
            self.cameraFormat = cameraFormat
        }
    }

    public let configuration: WatchConfiguration

    public init(configuration: WatchConfiguration) {
        self.configuration = configuration
    }

    /// Events between `start` and `end` (kept an hour clear of both ends).
    public func events(start: Timestamp, end: Timestamp, seed: UInt64, options: Options = Options()) -> [ScheduledEvent] {
        var rng = SplitMix64(seed: seed).fork("night")
        var events: [ScheduledEvent] = []
        let span = max((end - start).value - 2 * 3_600_000, 60_000)
        func time() -> Timestamp {
            let ms = Int64(rng.next() % UInt64(span))
            return start + .hours(1) + Milliseconds(ms - ms % 1000)
        }
        func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))] }
        let sites = configuration.sites
        for _ in 0..<options.alarms {
            guard let site = pick(sites) else { break }
            let detectors = site.devices.filter { [.pir, .door, .glassBreak].contains($0.kind) }
            guard let first = pick(detectors) else { continue }
            let t = time()
            events.append(ScheduledEvent(at: t, action: .alarm(site: site.id, device: first.id, eventClass: .intrusion, restore: false, code: nil)))
            switch rng.next() % 3 {
            case 0:
                if let second = pick(detectors.filter { $0.id != first.id }) {
                    events.append(ScheduledEvent(at: t + .seconds(Int64(30 + rng.next() % 240)), action: .alarm(site: site.id, device: second.id, eventClass: .intrusion, restore: false, code: nil)))
                }
            case 1:
                if let camera = pick(site.devices.filter { $0.kind == .camera && (first.zone.map($0.linkedZones.contains) ?? false) }) {
                    events.append(ScheduledEvent(at: t + .seconds(Int64(10 + rng.next() % 60)), action: .camera(site: site.id, camera: camera.id, label: .person, zones: nil, score: 0.85, format: options.cameraFormat)))
                }
            default:
                break
            }
            events.append(ScheduledEvent(at: t + .minutes(2), action: .alarm(site: site.id, device: first.id, eventClass: .intrusion, restore: true, code: nil)))
        }
        let cameras = sites.flatMap { s in s.devices.filter { $0.kind == .camera }.map { (s.id, $0.id) } }
        for _ in 0..<options.cameraDetections {
            guard let (site, camera) = pick(cameras) else { break }
            let label: ObjectLabel = rng.next() % 4 == 0 ? .vehicle : .person
            events.append(ScheduledEvent(at: time(), action: .camera(site: site, camera: camera, label: label, zones: nil, score: 0.8, format: options.cameraFormat)))
        }
        if options.fire, rng.next() % 2 == 0,
           let site = pick(sites.filter { $0.devices.contains { $0.kind == .smoke } }),
           let smoke = site.devices.first(where: { $0.kind == .smoke }) {
            let t = time()
            events.append(ScheduledEvent(at: t, action: .alarm(site: site.id, device: smoke.id, eventClass: .fire, restore: false, code: nil)))
            events.append(ScheduledEvent(at: t + .minutes(10), action: .alarm(site: site.id, device: smoke.id, eventClass: .fire, restore: true, code: nil)))
        }
        return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
