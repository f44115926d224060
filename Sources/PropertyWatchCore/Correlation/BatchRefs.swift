/// The look-ahead of a batch as a software pipeline: while message `i` is handled, message
/// `i + stateDistance` has its device resolved and its state prefetched, and message
/// `i + indexDistance` has its key hashed and its device-index bucket prefetched. Each load
/// thus has the time of several messages to arrive, and no message waits on a chain of misses.
///
/// Slots are a ring indexed by message number modulo `ring`.
struct BatchRefs {
    static let indexDistance = 16
    static let stateDistance = 8
    static let ring = 32

    var buckets = [Int](repeating: -1, count: Self.ring)
    var touchesAlarmState = [Bool](repeating: false, count: Self.ring)
    var keys = [(SiteID, DeviceID)](repeating: ("", ""), count: Self.ring)
    var refs = [DeviceRef](repeating: DeviceRef(slot: -1, site: -1, rules: 0), count: Self.ring)

    subscript(message: Int) -> DeviceRef? {
        let ref = refs[message & (Self.ring - 1)]
        return ref.slot >= 0 ? ref : nil
    }
}
