/// The directory's dense number for a message's (site, device), as the decoder resolved it
/// from the topic, so the correlation engine indexes its state arrays without a second
/// look-up (`SiteDirectory.deviceIndex(_:at:)` numbers devices; the engine's slots are the
/// same numbers).
///
/// A cache, not part of the value: two messages that differ only in their slot are equal and
/// hash alike, and a message built in code (slot `unresolved`) means the same as a decoded one.
/// The engine checks a slot against the message's ids before trusting it, and looks the
/// device up in the directory when it is unresolved or names another device.
public struct DeviceSlot: Sendable, Hashable {
    /// `0..<SiteDirectory.deviceCount`, or -1.
    public let index: Int32

    public static let unresolved = DeviceSlot(index: -1)

    init(index: Int32) { self.index = index }

    /// The slot of the `index`th device a `SiteDirectory` numbers, for code that builds
    /// messages as the decoder would (simulated workloads).
    public static func numbered(_ index: Int) -> DeviceSlot { DeviceSlot(index: Int32(index)) }

    public static func == (lhs: DeviceSlot, rhs: DeviceSlot) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
