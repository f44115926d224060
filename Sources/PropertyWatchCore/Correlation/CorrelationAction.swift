/// What the correlation engine asks of the rest of PropertyWatch.
public enum CorrelationAction: Sendable, Hashable {
    /// A lifecycle change (or a priority change within a state), with its cause; journal it.
    case transition(IncidentTransition)
    /// The incident needs a guard now: it is new, or its priority rose, or it got verified.
    case dispatch(Incident)
    /// A guard was asked to go but is no longer needed.
    case cancelDispatch(IncidentID, reason: String)
    /// Something operators should see that is not an incident change; `code` is a
    /// `CorrelationWarning` raw value.
    case warning(site: SiteID?, code: String, message: String)
    /// Why an event did or did not become (part of) an incident; journal it.
    case decision(Decision)
    /// The patrol should check the site about `incident` (an unverified intrusion under a
    /// directed-check rule, a supervision fault, a late-to-close under `late_to_close_check:
    /// check`); the check is withdrawn when the incident ends.
    case directedCheck(site: SiteID, incident: IncidentID, reason: String)
    /// The video system was unreachable from `from` to `until`: fetch what it saw meanwhile
    /// (Frigate's `GET /api/events`) and journal it as `frigate/backfill` inputs.
    case fetchMissedVideo(from: Timestamp, until: Timestamp)
}

/// The codes carried by `CorrelationAction.warning`.
public enum CorrelationWarning: String, Sendable, Hashable, CaseIterable {
    case lateToClose = "late-to-close"
    /// A late-to-close under `late_to_close_check: propose`: an operator may confirm a check.
    case checkProposed = "check-proposed"
    case possibleLostEvents = "possible-lost-events"
    case deviceOffline = "device-offline"
    case deviceRestored = "device-restored"
    case communicationFailure = "communication-failure"
    case flood
    case floodEnded = "flood-ended"
    case flapping
    case flappingEnded = "flapping-ended"
    case silenceAdded = "silence-added"
    case silenceExpired = "silence-expired"
    case invalidTransition = "invalid-transition"
    case unknownIncident = "unknown-incident"
    /// Frigate went offline, or a camera stopped delivering frames.
    case videoUnavailable = "video-unavailable"
    /// Video verification is available again; missed events are being fetched.
    case videoRestored = "video-restored"
}
