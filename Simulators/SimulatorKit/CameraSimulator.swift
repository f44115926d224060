import PropertyWatchCore

/// Cameras of the configured sites: person, vehicle and motion triggers in zones, in our own
/// format or as Frigate's native `frigate/events` (with the mapping's Frigate camera and zone
/// names), each ended after `eventLength`.
public struct CameraSimulator: Sendable {
    /// The wire format of a trigger.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case ours, frigate
    }

    /// Why a trigger cannot be sent.
    public enum Failure: Error, Hashable, CustomStringConvertible {
        case unknownCamera(SiteID, DeviceID)
        case notMappedForFrigate(SiteID, DeviceID)

        public var description: String {
            switch self {
            case .unknownCamera(let s, let c): "no camera \(c) at \(s)"
            case .notMappedForFrigate(let s, let c): "camera \(c) at \(s) has no Frigate name in the configuration's frigate mapping"
            }
        }
    }

    struct Open: Sendable, Hashable {
        var trigger: CameraTrigger
        var format: Format
        var frigateName: String?
        var frigateLabel: String
        var endsAt: Timestamp
    }

    private let directory: SiteDirectory
    private var frigateNames: [Key: String] = [:]
    /// Per Frigate camera name: our zone → the Frigate zone name mapped onto it.
    private var frigateZones: [String: [ZoneID: String]] = [:]
    private var open: [Open] = []
    private var counter = 0
    /// How long a detection lasts before its `end` is sent.
    public var eventLength: Milliseconds
    public private(set) var sent = 0

    struct Key: Hashable, Sendable {
        var site: SiteID
        var camera: DeviceID
    }

    public init(configuration: WatchConfiguration, eventLength: Milliseconds = .seconds(30)) {
        directory = SiteDirectory(configuration)
        self.eventLength = eventLength
        for (name, camera) in configuration.frigate.cameras.sorted(by: { $0.key < $1.key }) {
            let key = Key(site: camera.site, camera: camera.device)
            if frigateNames[key] == nil { frigateNames[key] = name }
            var zones: [ZoneID: String] = [:]
            for (frigateZone, zone) in camera.zones.sorted(by: { $0.key < $1.key }) where zones[zone] == nil {
                zones[zone] = frigateZone
            }
            frigateZones[name] = zones
        }
    }

    /// The earliest pending `end`.
    public var nextDeadline: Timestamp? { open.map(\.endsAt).min() }

    /// The camera sees `label` now. `zones` default to everything the camera sees.
    public mutating func trigger(
        site: SiteID, camera: DeviceID, label: ObjectLabel, zones: [ZoneID]? = nil, score: Double = 0.9,
        format: Format = .ours, now: Timestamp, stamp: Timestamp
    ) throws(Failure) -> [SimMessage] {
        guard let config = directory.device(camera, at: site), config.kind == .camera else {
            throw .unknownCamera(site, camera)
        }
        var frigateName: String?
        if format == .frigate {
            guard let name = frigateNames[Key(site: site, camera: camera)] else { throw .notMappedForFrigate(site, camera) }
            frigateName = name
        }
        counter += 1
        let trigger = CameraTrigger(
            site: site, camera: camera, zones: zones ?? config.cameraZones, label: label, score: score,
            phase: .new, eventID: "\(camera)-\(counter)", start: stamp,
            snapshot: "http://nvr.example/\(site)/\(camera)/\(counter).jpg")
        let frigateLabel = label == .vehicle ? "car" : label.rawValue
        let entry = Open(trigger: trigger, format: format, frigateName: frigateName, frigateLabel: frigateLabel, endsAt: now + eventLength)
        open.append(entry)
        sent += 1
        return [message(entry, phase: .new, end: nil)]
    }

    /// Sends the `end` of every detection whose time is up.
    public mutating func tick(now: Timestamp, stamp: Timestamp) -> [SimMessage] {
        var out: [SimMessage] = []
        var keep: [Open] = []
        for entry in open {
            if entry.endsAt <= now {
                out.append(message(entry, phase: .end, end: max(stamp, entry.trigger.start)))
            } else {
                keep.append(entry)
            }
        }
        open = keep
        return out
    }

    private func message(_ entry: Open, phase: CameraTrigger.Phase, end: Timestamp?) -> SimMessage {
        var t = entry.trigger
        t.phase = phase
        t.end = end
        switch entry.format {
        case .ours:
            return SimMessage(.camera(t))
        case .frigate:
            let name = entry.frigateName ?? t.camera.rawValue
            // Frigate's own zone names where the mapping has one; our ids pass through otherwise.
            let zones = t.zones.map { frigateZones[name]?[$0] ?? $0.rawValue }
            return SimMessage(topic: "frigate/events", payload: MessageEncoder.frigateEvent(
                type: phase, id: t.eventID, camera: name, label: entry.frigateLabel,
                score: t.score, zones: zones, start: t.start, end: end, hasSnapshot: true))
        }
    }
}
