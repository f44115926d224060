/// A maintenance window: events it matches are recorded (state `attributed`), not dispatched.
///
/// Active for `from <= now < until`. A silence without `device` and `zone` covers the whole
/// site, except fire and hold-up, which only a silence naming the device itself suppresses.
public struct Silence: Sendable, Hashable, Codable {
    public var site: SiteID
    public var device: DeviceID?
    public var zone: ZoneID?
    public var from: Timestamp
    public var until: Timestamp
    public var author: String
    public var reason: String

    public init(
        site: SiteID, device: DeviceID? = nil, zone: ZoneID? = nil, from: Timestamp, until: Timestamp,
        author: String, reason: String
    ) {
        self.site = site
        self.device = device
        self.zone = zone
        self.from = from
        self.until = until
        self.author = author
        self.reason = reason
    }

    /// Whether an event from `device` in `zone` at `time` falls under this silence.
    public func covers(device: DeviceID, zone: ZoneID?, lifeSafety: Bool, at time: Timestamp) -> Bool {
        guard from <= time, time < until else { return false }
        if let d = self.device, d != device { return false }
        if let z = self.zone, z != zone { return false }
        return !lifeSafety || self.device == device
    }
}
