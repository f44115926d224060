/// Where the directory numbers a message's device, its site and (for an alarm naming one) its
/// zone, as the decoder resolved them from the topic and payload, so the correlation engine
/// indexes its state arrays without a second look-up (`SiteDirectory.slot(_:at:)`; the
/// engine's device, site and zone slots are the same numbers).
///
/// A cache, not part of the value: two messages that differ only in their slot are equal and
/// hash alike, and a message built in code (slot `unresolved`) means the same as a decoded one.
/// The engine checks a slot against the message's ids before trusting it, and looks the
/// device up in the directory when it is unresolved or names another device.
public struct DeviceSlot: Sendable, Hashable {
    /// The device's number, `0..<SiteDirectory.deviceCount`, or -1.
    public let index: Int32
    /// Its site's index in `SiteDirectory.configuration.sites`, or -1.
    public let site: Int32
    /// The number of the zone an alarm event names, counting every site's zones in
    /// configuration order; -1 when it names none (the device's own zone applies) or the
    /// decoder did not resolve it.
    public let zone: Int32

    public static let unresolved = DeviceSlot(index: -1, site: -1)

    init(index: Int32, site: Int32, zone: Int32 = -1) {
        self.index = index
        self.site = site
        self.zone = zone
    }

    /// The same device, with the zone an event names.
    func with(zone: Int32) -> DeviceSlot { DeviceSlot(index: index, site: site, zone: zone) }

    /// The slot of the `device`th device a `SiteDirectory` numbers, at its `site`th site, for
    /// code that builds messages as the decoder would (simulated workloads).
    public static func numbered(device: Int, site: Int) -> DeviceSlot { DeviceSlot(index: Int32(device), site: Int32(site)) }

    public static func == (lhs: DeviceSlot, rhs: DeviceSlot) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
