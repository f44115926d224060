/// The schedule questions the correlation engine asks about a site and its partitions. The
/// seam through which the real opening hours, arm deadlines and calendar exceptions are wired
/// in (and faked in tests).
public protocol ArmSchedule: Sendable {
    /// Whether `site` is scheduled open (occupied, expected unset) at `time`.
    func isOpen(site: SiteID, at time: Timestamp) -> Bool
    /// Whether `partition` of `site` is expected armed (set) at `time`: not open, and past the
    /// arm deadline of the closing that began the closed period.
    func expectedArmed(site: SiteID, partition: PartitionID, at time: Timestamp) -> Bool
}

extension ArmSchedule {
    /// Whether `site` is expected armed (set) at `time`: the opposite of open.
    public func expectedArmed(site: SiteID, at time: Timestamp) -> Bool { !isOpen(site: site, at: time) }

    /// By default a partition follows its site.
    public func expectedArmed(site: SiteID, partition: PartitionID, at time: Timestamp) -> Bool {
        expectedArmed(site: site, at: time)
    }
}

/// The default: each site's configured `SiteSchedule`, and each partition's own where it has one.
public struct ConfiguredArmSchedule: ArmSchedule {
    private struct Key: Hashable {
        let site: SiteID
        let partition: PartitionID
    }

    private let schedules: [SiteID: SiteSchedule]
    private let partitions: [Key: SiteSchedule]

    public init(_ directory: SiteDirectory) {
        var schedules: [SiteID: SiteSchedule] = [:]
        var partitions: [Key: SiteSchedule] = [:]
        for site in directory.configuration.sites where schedules[site.id] == nil {
            schedules[site.id] = site.schedule
            for partition in site.partitions {
                if let own = partition.schedule { partitions[Key(site: site.id, partition: partition.id)] = own }
            }
        }
        self.schedules = schedules
        self.partitions = partitions
    }

    public func isOpen(site: SiteID, at time: Timestamp) -> Bool {
        schedules[site]?.isOpen(at: time) ?? false
    }

    public func expectedArmed(site: SiteID, partition: PartitionID, at time: Timestamp) -> Bool {
        if let own = partitions[Key(site: site, partition: partition)] { return own.expectedArmed(at: time) }
        return schedules[site]?.expectedArmed(at: time) ?? true
    }
}
