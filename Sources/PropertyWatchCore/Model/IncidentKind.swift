/// What an incident is about. Each kind's priority comes from the rules
/// (`CorrelationRules.priorities`), so a site can say how much a kind matters to it.
public enum IncidentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case fire
    case holdUp = "hold-up"
    case verifiedIntrusion = "verified-intrusion"
    case unverifiedIntrusion = "unverified-intrusion"
    /// A person or vehicle seen in a camera alarm zone while armed.
    case cameraAlarm = "camera-alarm"
    case tamper
    /// A supervised device missed its reports (EN 50136-1 supervision).
    case supervision
    /// Every supervised device of a site fell silent together (possible sabotage).
    case communicationFailure = "communication-failure"
    /// A partition still unset after its arm deadline.
    case lateToClose = "late-to-close"
    /// Unset by an unknown user or outside the user's window.
    case unauthorisedOpening = "unauthorised-opening"
    /// A zone changing between alarm and restore too often.
    case flapping
    /// A device sending more events than its rate.
    case flood
    /// A device's sequence numbers jumped: events were lost on the way.
    case sequenceGap = "sequence-gap"
    /// An intrusion while its partition was unset (`alarm_while_unset: incident`).
    case alarmWhileUnset = "alarm-while-unset"
    /// A trouble report (low battery, mains failure, …).
    case trouble
    /// An alarm a device buffered and delivered late (after an outage): a record for the
    /// operators, never a guard request, whatever its priority.
    case lateAlarm = "late-alarm"
    /// Video verification is unavailable at a site: Frigate is offline, or one of its cameras
    /// delivers no frames. Its alarms are dispatched on the alarm alone meanwhile.
    case cameraUnavailable = "camera-unavailable"

    /// Fire and life safety > verified intrusion > unverified intrusion > tamper and
    /// communication failure > technical faults.
    public static let defaultPriorities: [IncidentKind: IncidentPriority] = [
        .fire: .fire, .holdUp: .holdUp, .verifiedIntrusion: .verifiedIntrusion,
        .unverifiedIntrusion: .unverifiedIntrusion, .cameraAlarm: .vandalism, .tamper: .tamper,
        .supervision: .trouble, .communicationFailure: .tamper, .lateToClose: .trouble,
        .unauthorisedOpening: .tamper, .flapping: .trouble, .flood: .trouble, .sequenceGap: .trouble, .alarmWhileUnset: .trouble,
        .trouble: .trouble, .lateAlarm: .trouble, .cameraUnavailable: .trouble,
    ]

    /// The kind an incident of `priority` has by default (for callers that give only a priority).
    public static func forPriority(_ priority: IncidentPriority) -> IncidentKind {
        switch priority {
        case .fire: .fire
        case .holdUp: .holdUp
        case .verifiedIntrusion: .verifiedIntrusion
        case .vandalism: .cameraAlarm
        case .unverifiedIntrusion: .unverifiedIntrusion
        case .tamper: .tamper
        case .trouble: .trouble
        }
    }
}
