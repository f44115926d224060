/// When a site is open (occupied, disarmed by schedule) and when it is expected armed.
///
/// Weekly opening hours per ISO weekday (several ranges a day, ranges may cross midnight and
/// belong to the day they start on), calendar exceptions and public holidays. All times are
/// Europe/Stockholm wall-clock times resolved with `StockholmTime.resolve`.
public struct SiteSchedule: Sendable, Hashable, Encodable {
    /// Regular opening hours by ISO weekday (Monday = 1); a missing day is closed.
    public var openingHours: [Int: [LocalTimeRange]]
    /// Latest local time to arm by, per ISO weekday, for closings on that day up to
    /// `armByHorizon` before it; other closings must be armed within `armGrace`.
    public var armBy: [Int: LocalTime]
    /// How long after closing the site may stay disarmed before it is late to close.
    public var armGrace: Milliseconds
    public var exceptions: [ScheduleException]
    /// Holidays are closed days, like a `closed` exception.
    public var holidays: HolidayCalendar

    /// An `armBy` time applies to a closing at most this long before it.
    public static let armByHorizon = Milliseconds.hours(6)
    /// How far `nextChange` and `previousChange` search before giving up.
    public static let searchDays = 400

    public init(
        openingHours: [Int: [LocalTimeRange]] = [:], armBy: [Int: LocalTime] = [:],
        armGrace: Milliseconds = .minutes(15), exceptions: [ScheduleException] = [],
        holidays: HolidayCalendar = .none
    ) {
        self.openingHours = openingHours
        self.armBy = armBy
        self.armGrace = armGrace
        self.exceptions = exceptions
        self.holidays = holidays
    }

    /// The ranges that start on `date`, after exceptions and holidays.
    public func ranges(on date: LocalDate) -> [LocalTimeRange] {
        var result: [LocalTimeRange] = []
        let closed = holidays.isHoliday(date)
            || exceptions.contains { $0.kind == .closed && $0.applies(to: date) }
        if !closed, let regular = openingHours[date.weekday] { result += regular }
        for exception in exceptions where exception.kind == .open && exception.applies(to: date) {
            if exception.hours.isEmpty { result.append(.wholeDay) } else { result += exception.hours }
        }
        return result
    }

    /// Whether the site is scheduled open at `time`.
    public func isOpen(at time: Timestamp) -> Bool {
        let date = StockholmTime.local(time).date
        return isOpen(at: time, startingOn: date.adding(days: -1))
            || isOpen(at: time, startingOn: date)
    }

    /// Whether the site should be armed at `time`: closed, and past the arm deadline of the
    /// closing that began the current closed period.
    public func expectedArmed(at time: Timestamp) -> Bool {
        // Never open (no hours, no open exceptions): always expected armed, without searching
        // back `searchDays` for a closing that never happened.
        if openingHours.isEmpty, !exceptions.contains(where: { $0.kind == .open }) { return true }
        guard !isOpen(at: time) else { return false }
        guard let closing = previousChange(atOrBefore: time) else { return true }
        return time >= armDeadline(forClosingAt: closing)
    }

    /// The first arm deadline after `time`: of the current closed period while still in its
    /// grace, otherwise of the next closing. A late-to-close check is due then.
    public func armDeadline(after time: Timestamp) -> Timestamp? {
        if !isOpen(at: time), let closing = previousChange(atOrBefore: time) {
            let deadline = armDeadline(forClosingAt: closing)
            if deadline > time { return deadline }
        }
        var cursor = time
        while let change = nextChange(after: cursor) {
            if !isOpen(at: change) { return armDeadline(forClosingAt: change) }
            cursor = change
        }
        return nil
    }

    /// By when the site must be armed after closing at `closing`.
    public func armDeadline(forClosingAt closing: Timestamp) -> Timestamp {
        let date = StockholmTime.local(closing).date
        if let by = armBy[date.weekday] {
            let deadline = StockholmTime.resolve(date, by)
            if deadline >= closing, deadline - closing <= Self.armByHorizon { return deadline }
        }
        return closing + armGrace
    }

    /// The next instant after `time` at which the site opens or closes, so a timer can be set;
    /// nil if nothing changes within `searchDays`.
    public func nextChange(after time: Timestamp) -> Timestamp? {
        var day = StockholmTime.local(time).date
        for _ in stride(from: 0, to: Self.searchDays, by: 7) {
            let window = StockholmTime.resolve(day, LocalTime(hour: 0))..<StockholmTime.resolve(day.adding(days: 7), LocalTime(hour: 0))
            let candidates = boundaries(startingFrom: day.adding(days: -1), days: 8)
                .filter { $0 > time && window.contains($0) }
                .sorted()
            if let change = candidates.first(where: isChange) { return change }
            day = day.adding(days: 7)
        }
        return nil
    }

    /// The last instant at or before `time` at which the site opened or closed; nil if
    /// nothing changed within `searchDays`.
    public func previousChange(atOrBefore time: Timestamp) -> Timestamp? {
        var day = StockholmTime.local(time).date
        for _ in stride(from: 0, to: Self.searchDays, by: 7) {
            let window = StockholmTime.resolve(day.adding(days: -6), LocalTime(hour: 0))..<StockholmTime.resolve(day.adding(days: 1), LocalTime(hour: 0))
            let candidates = boundaries(startingFrom: day.adding(days: -7), days: 8)
                .filter { $0 <= time && window.contains($0) }
                .sorted(by: >)
            if let change = candidates.first(where: isChange) { return change }
            day = day.adding(days: -7)
        }
        return nil
    }

    private func isOpen(at time: Timestamp, startingOn date: LocalDate) -> Bool {
        ranges(on: date).contains { $0.interval(on: date)?.contains(time) ?? false }
    }

    private func isChange(_ instant: Timestamp) -> Bool {
        isOpen(at: instant) != isOpen(at: instant - Milliseconds(1))
    }

    /// Starts and ends of every range starting on `days` days from `first`.
    private func boundaries(startingFrom first: LocalDate, days: Int) -> [Timestamp] {
        var result: [Timestamp] = []
        for offset in 0..<days {
            let date = first.adding(days: offset)
            for range in ranges(on: date) {
                guard let interval = range.interval(on: date) else { continue }
                result.append(interval.lowerBound)
                result.append(interval.upperBound)
            }
        }
        return result
    }
}
