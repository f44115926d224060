/// How Frigate's own MQTT messages (`frigate/events`, `frigate/reviews`) map onto sites,
/// cameras, zones and object labels.
public struct FrigateMapping: Sendable, Hashable, Codable {
    /// Where one Frigate camera lives in PropertyWatch terms.
    public struct Camera: Sendable, Hashable, Codable {
        public var site: SiteID
        public var device: DeviceID
        /// Frigate zone name → our zone. Unmapped Frigate zones pass through when the site has
        /// a zone of that name, and are dropped otherwise.
        public var zones: [String: ZoneID]

        public init(site: SiteID, device: DeviceID, zones: [String: ZoneID] = [:]) {
            self.site = site
            self.device = device
            self.zones = zones
        }
    }

    /// Frigate camera name → site and device. Unmapped cameras are refused (`unknown-device`).
    public var cameras: [String: Camera]
    /// Frigate label → our label, on top of `defaultLabels`. Unmapped labels are ignored.
    public var labels: [String: ObjectLabel]
    /// Detections scoring below this (Frigate's `top_score`, else `score`) are ignored.
    public var minimumScore: Double
    /// Frigate's base URL; when set, events with a snapshot get
    /// `{snapshotBaseURL}/api/events/{id}/snapshot.jpg` as their snapshot reference.
    public var snapshotBaseURL: String?
    /// Whether review items of severity `detection` (not only `alert`) become triggers.
    public var acceptDetectionReviews: Bool

    /// person → person; car, truck, motorcycle, bicycle, bus → vehicle.
    public static let defaultLabels: [String: ObjectLabel] = [
        "person": .person, "car": .vehicle, "truck": .vehicle, "motorcycle": .vehicle,
        "bicycle": .vehicle, "bus": .vehicle,
    ]

    public init(
        cameras: [String: Camera] = [:], labels: [String: ObjectLabel] = [:], minimumScore: Double = 0.5,
        snapshotBaseURL: String? = nil, acceptDetectionReviews: Bool = false
    ) {
        self.cameras = cameras
        self.labels = labels
        self.minimumScore = minimumScore
        self.snapshotBaseURL = snapshotBaseURL
        self.acceptDetectionReviews = acceptDetectionReviews
    }

    /// Our label for a Frigate label, or nil when it is not mapped.
    public func label(for frigateLabel: String) -> ObjectLabel? {
        labels[frigateLabel] ?? Self.defaultLabels[frigateLabel]
    }
}
