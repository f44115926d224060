/// When a site is open (occupied, disarmed by schedule) and when it is expected armed.
///
/// Placeholder surface: opening hours per weekday and calendar exceptions are filled in by
/// the configuration work; `isOpen(at:)` is the question the correlation engine asks.
public struct SiteSchedule: Sendable, Hashable {
    public init() {}

    /// Whether the site is scheduled open at `time`.
    public func isOpen(at time: Timestamp) -> Bool { false }
}
