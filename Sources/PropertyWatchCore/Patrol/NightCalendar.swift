/// Turns configured local times into tonight's instants. A night runs from the boundary
/// (noon) on its date to the boundary on the next day; a shift belongs to the weekday it
/// starts on, and times before the boundary fall on the morning after.
struct NightCalendar: Sendable, Hashable {
    var boundary: LocalTime

    /// The night containing `time`.
    func night(containing time: Timestamp) -> LocalDate {
        let local = StockholmTime.local(time)
        return local.time < boundary ? local.date.adding(days: -1) : local.date
    }

    /// The date on which local `time` falls during `night`.
    func date(of time: LocalTime, in night: LocalDate) -> LocalDate {
        time < boundary ? night.adding(days: 1) : night
    }

    /// The instants of a local span during `night`; an end at or before the start is the next day.
    /// A span that the spring-forward gap swallows whole (02:30–02:45) keeps its wall-clock
    /// length from the moment the clocks jump (03:00–03:15 CEST) instead of collapsing.
    func span(from start: LocalTime, to end: LocalTime, in night: LocalDate) -> (start: Timestamp, end: Timestamp) {
        let startDate = date(of: start, in: night)
        let endDate = end <= start ? startDate.adding(days: 1) : startDate
        let from = StockholmTime.resolve(startDate, start)
        var to = StockholmTime.resolve(endDate, end)
        if to <= from {
            let minutes = (endDate.daysSinceEpoch - startDate.daysSinceEpoch) * 1440
                + end.minutesSinceMidnight - start.minutesSinceMidnight
            to = from + .minutes(Int64(minutes))
        }
        return (from, to)
    }

    /// The shift's occurrence tonight for `unit`, if it runs tonight.
    func instance(of shift: ShiftConfiguration, unit: UnitID, in night: LocalDate) -> ShiftInstance? {
        guard shift.units.contains(unit), shift.weekdays.contains(date(of: shift.start, in: night).weekday) else { return nil }
        let s = span(from: shift.start, to: shift.end, in: night)
        return ShiftInstance(shift: shift.id, unit: unit, start: s.start, end: s.end)
    }
}
