extension ShiftConfiguration {
    /// The local hours of the shift.
    public var hours: LocalTimeRange { LocalTimeRange(start, end) }

    /// The occurrence starting on `date`, or nil if the shift does not start on that weekday.
    public func night(startingOn date: LocalDate) -> ShiftNight? {
        guard weekdays.contains(date.weekday), let interval = hours.interval(on: date) else { return nil }
        return ShiftNight(shift: id, date: date, start: interval.lowerBound, end: interval.upperBound, hours: hours)
    }

    /// Whether the shift is on duty at `time`.
    public func isOnDuty(at time: Timestamp) -> Bool {
        let date = StockholmTime.local(time).date
        return [date.adding(days: -1), date].contains { night(startingOn: $0)?.contains(time) ?? false }
    }

    /// The occurrence on duty at `time`, or else the next one to start; nil if the shift has
    /// no weekdays.
    public func night(containingOrAfter time: Timestamp) -> ShiftNight? {
        let date = StockholmTime.local(time).date
        for offset in -1...7 {
            if let night = night(startingOn: date.adding(days: offset)), night.end > time { return night }
        }
        return nil
    }
}
