/// One concrete occurrence of a shift: the night (or day) it starts on, as instants.
public struct ShiftNight: Sendable, Hashable {
    public var shift: String
    /// The local date the shift starts on; the shift belongs to this weekday.
    public var date: LocalDate
    /// `[start, end)`.
    public var start: Timestamp
    public var end: Timestamp
    public var hours: LocalTimeRange

    public init(shift: String, date: LocalDate, start: Timestamp, end: Timestamp, hours: LocalTimeRange) {
        self.shift = shift
        self.date = date
        self.start = start
        self.end = end
        self.hours = hours
    }

    public func contains(_ time: Timestamp) -> Bool { time >= start && time < end }

    /// The instant of a local time during this night, such as a route stop's window: times
    /// before the start time belong to the morning after when the shift crosses midnight.
    public func instant(of time: LocalTime) -> Timestamp {
        let nextDay = hours.crossesMidnight && time < hours.start
        return StockholmTime.resolve(nextDay ? date.adding(days: 1) : date, time)
    }
}
