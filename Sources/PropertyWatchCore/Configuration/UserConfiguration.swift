/// What kind of code holder a user is.
public enum UserRole: String, Sendable, Hashable, CaseIterable, Codable {
    case staff
    case cleaner
    case letting
    case guardCompany = "guard-company"
}

/// When a user may unset: weekdays, hours and the partitions it covers.
public struct UserWindow: Sendable, Hashable, Encodable {
    /// ISO weekdays (Monday = 1); empty: every day.
    public var weekdays: Set<Int>
    public var hours: [LocalTimeRange]
    /// Partitions it covers; empty: all of the site's.
    public var partitions: [PartitionID]

    public init(weekdays: Set<Int> = [], hours: [LocalTimeRange], partitions: [PartitionID] = []) {
        self.weekdays = weekdays
        self.hours = hours
        self.partitions = partitions
    }
}

/// A user (code holder) of a site's alarm system.
public struct UserConfiguration: Sendable, Hashable, Encodable {
    public var id: UserID
    /// The panel's user number, for events that name the user by number.
    public var number: Int?
    public var name: String
    public var role: UserRole
    /// When the user may unset; empty: at any time (staff, the guard company).
    public var windows: [UserWindow]

    public init(id: UserID, number: Int? = nil, name: String, role: UserRole, windows: [UserWindow] = []) {
        self.id = id
        self.number = number
        self.name = name
        self.role = role
        self.windows = windows
    }
}
