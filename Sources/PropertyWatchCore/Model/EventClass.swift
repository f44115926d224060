/// What an alarm event reports, independent of the protocol (our names, SIA or Contact ID)
/// it arrived in. Restores are the same class with `AlarmEvent.isRestore` set.
public enum EventClass: String, Sendable, Hashable, CaseIterable, Codable {
    case intrusion
    case fire
    case holdUp = "hold-up"
    case tamper
    case trouble
    /// Opening: the site was disarmed (unset).
    case open
    /// Closing: the site was armed (set).
    case close
    case test
    case bypass
}

/// Sub-kinds of `EventClass.trouble`, kept for operators and statistics.
public enum TroubleKind: String, Sendable, Hashable, CaseIterable, Codable {
    case general
    case lowBattery = "low-battery"
    case mainsFailure = "mains-failure"
    case communication
    case sequenceGap = "sequence-gap"
}
