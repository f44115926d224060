/// Tonight's plan of one unit as published to it and the dashboard (retained on
/// `Topic.unitPlan(unit:)`): its stops in driving order with their windows and states, each
/// version numbered within the night.
public struct UnitPlan: Sendable, Hashable {
    public var unit: UnitID
    /// The local date on which the night starts.
    public var night: LocalDate
    /// 1 for the night's first plan, then one more for each change.
    public var version: Int
    public var stops: [PlannedStop]
    /// Site names, for the car's screen.
    public var siteNames: [SiteID: String]
    /// What changed, e.g. `a#2 missed; revisit proposed`.
    public var reason: String
    public var time: Timestamp

    public init(
        unit: UnitID, night: LocalDate, version: Int, stops: [PlannedStop], siteNames: [SiteID: String] = [:],
        reason: String, time: Timestamp
    ) {
        self.unit = unit
        self.night = night
        self.version = version
        self.stops = stops
        self.siteNames = siteNames
        self.reason = reason
        self.time = time
    }
}
