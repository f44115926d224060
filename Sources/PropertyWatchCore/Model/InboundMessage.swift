/// Everything PropertyWatch accepts from the broker, after decoding and validation.
public enum InboundMessage: Sendable, Hashable {
    case alarm(AlarmEvent)
    case camera(CameraTrigger)
    case heartbeat(Heartbeat)
    case position(UnitPosition)
    case checkIn(CheckIn)
    case unitStatus(UnitStatusReport)
    case reply(GuardReply)
    /// Frigate's own status: the process (`frigate/available`) or its cameras (`frigate/stats`).
    case video(VideoStatus)

    /// The site the message concerns, when it concerns one.
    public var site: SiteID? {
        switch self {
        case .alarm(let e): e.site
        case .camera(let c): c.site
        case .heartbeat(let h): h.site
        case .checkIn(let c): c.site
        case .position, .unitStatus, .reply, .video: nil
        }
    }
}
