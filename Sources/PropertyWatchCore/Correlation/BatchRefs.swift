/// Per-window scratch space of `prepare`: index buckets, whether each message touches alarm
/// state, and the resolved devices.
struct BatchRefs {
    var buckets = [Int](repeating: -1, count: CorrelationEngine.batchWindow)
    var touchesAlarmState = [Bool](repeating: false, count: CorrelationEngine.batchWindow)
    var refs = [DeviceRef](repeating: DeviceRef(slot: -1, site: -1, rules: 0), count: CorrelationEngine.batchWindow)

    subscript(i: Int) -> DeviceRef? {
        let ref = refs[i]
        return ref.slot >= 0 ? ref : nil
    }
}
