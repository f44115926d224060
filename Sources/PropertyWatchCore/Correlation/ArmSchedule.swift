/// The schedule questions the correlation engine asks about a site. The seam through which
/// the real opening hours, arm schedule and calendar exceptions are wired in (and faked in tests).
public protocol ArmSchedule: Sendable {
    /// Whether `site` is scheduled open (occupied, expected unset) at `time`.
    func isOpen(site: SiteID, at time: Timestamp) -> Bool
}

extension ArmSchedule {
    /// Whether `site` is expected armed (set) at `time`: the opposite of open.
    public func expectedArmed(site: SiteID, at time: Timestamp) -> Bool { !isOpen(site: site, at: time) }
}

/// The default: each site's configured `SiteSchedule`.
public struct ConfiguredArmSchedule: ArmSchedule {
    private let schedules: [SiteID: SiteSchedule]

    public init(_ directory: SiteDirectory) {
        var schedules: [SiteID: SiteSchedule] = [:]
        for site in directory.configuration.sites where schedules[site.id] == nil {
            schedules[site.id] = site.schedule
        }
        self.schedules = schedules
    }

    public func isOpen(site: SiteID, at time: Timestamp) -> Bool {
        schedules[site]?.isOpen(at: time) ?? false
    }
}
