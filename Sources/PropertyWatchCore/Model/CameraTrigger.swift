/// What a camera's analytics saw.
public enum ObjectLabel: String, Sendable, Hashable, CaseIterable, Codable {
    case person
    case vehicle
    case motion
    case other
}

/// A camera trigger: our own format, or a Frigate event mapped through the adapter.
public struct CameraTrigger: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable, CaseIterable, Codable {
        case new, update, end
    }

    public var site: SiteID
    public var camera: DeviceID
    public var zones: [ZoneID]
    public var label: ObjectLabel
    /// Detector confidence, 0…1.
    public var score: Double
    public var phase: Phase
    public var eventID: String
    public var start: Timestamp
    public var end: Timestamp?
    /// A reference an operator or guard can open (a URL or a path in the video system).
    public var snapshot: String?
    /// Fetched from Frigate's HTTP API after an outage (`frigate/backfill`), not seen live:
    /// it is placed at its own `start`, can verify an alarm of that time, and is never
    /// dispatched as if it were happening now.
    public var backfilled: Bool
    /// The directory's number for (site, camera), set by the decoder (see `DeviceSlot`).
    public var slot: DeviceSlot

    public init(
        site: SiteID, camera: DeviceID, zones: [ZoneID], label: ObjectLabel, score: Double,
        phase: Phase = .new, eventID: String, start: Timestamp, end: Timestamp? = nil,
        snapshot: String? = nil, backfilled: Bool = false, slot: DeviceSlot = .unresolved
    ) {
        self.slot = slot
        self.backfilled = backfilled
        self.site = site
        self.camera = camera
        self.zones = zones
        self.label = label
        self.score = score
        self.phase = phase
        self.eventID = eventID
        self.start = start
        self.end = end
        self.snapshot = snapshot
    }
}
