/// Where a device's engine state lives, with the facts every event needs: the engine's
/// `CorrelationTables.refs[i]` for the device the directory numbers `i`
/// (`SiteDirectory.deviceIndex`), so a message's device is resolved through the directory's
/// one table and then a plain array.
struct DeviceRef: Sendable, Hashable {
    var slot: Int32
    var site: Int32
    /// Index into `CorrelationTables.rules`.
    var rules: Int32

    /// A device the directory numbers but the engine does not (cannot happen with tables built
    /// from the same directory; kept so a look-up never traps).
    static let none = DeviceRef(slot: -1, site: -1, rules: 0)
}
