/// A partition (area) of a site's alarm system, set and unset on its own, with its own
/// calendar when it has one (a sports hall let in the evening while the school is armed).
public struct PartitionConfiguration: Sendable, Hashable, Encodable {
    /// The id of the one partition of a site that configures none.
    public static let implicitID: PartitionID = "1"

    public var id: PartitionID
    public var name: String
    /// The panel's partition (area) number, for events that name it by number.
    public var number: Int?
    /// The panel whose partition `number` this is, at a site with several panels; nil: any.
    public var panel: DeviceID?
    /// Its own opening hours, arm deadlines and exceptions; nil: the site's.
    public var schedule: SiteSchedule?

    public init(id: PartitionID, name: String, number: Int? = nil, panel: DeviceID? = nil, schedule: SiteSchedule? = nil) {
        self.id = id
        self.name = name
        self.number = number
        self.panel = panel
        self.schedule = schedule
    }
}
