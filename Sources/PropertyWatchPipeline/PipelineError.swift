/// Why the pipeline cannot go on. A journal that refuses commits is not one of them: that is
/// an outage, retried until it ends (`JournalOutage`).
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline thread stopped on a condition it cannot recover from (the journal lost
    /// committed inputs, a broken invariant); the daemon must stop, and an operator look.
    case stopped(reason: String)

    public var description: String {
        switch self {
        case .stopped(let reason): "pipeline stopped: \(reason)"
        }
    }
}
