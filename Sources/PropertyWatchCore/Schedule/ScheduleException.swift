/// A calendar exception to a site's weekly opening hours, over an inclusive date range.
///
/// `closed` removes the regular hours of every matching day (school holidays); `open` adds
/// hours (an evening letting: the gym is let on Tuesdays 18:00–21:00), even on closed days.
public struct ScheduleException: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Encodable {
        case closed, open
    }

    public var from: LocalDate
    /// Inclusive.
    public var to: LocalDate
    public var kind: Kind
    /// ISO weekdays the exception applies on; empty means every day of the range.
    public var weekdays: Set<Int>
    /// Hours added by an `open` exception; empty means the whole day. Unused for `closed`.
    public var hours: [LocalTimeRange]
    public var reason: String

    public init(
        from: LocalDate, to: LocalDate, kind: Kind, weekdays: Set<Int> = [],
        hours: [LocalTimeRange] = [], reason: String = ""
    ) {
        self.from = from
        self.to = to
        self.kind = kind
        self.weekdays = weekdays
        self.hours = hours
        self.reason = reason
    }

    /// Whether the exception applies on `date`.
    public func applies(to date: LocalDate) -> Bool {
        date >= from && date <= to && (weekdays.isEmpty || weekdays.contains(date.weekday))
    }
}
