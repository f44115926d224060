/// Converts between `Timestamp` (UTC) and Europe/Stockholm wall-clock time, pure and without
/// tzdata: CET (UTC+1) in winter and CEST (UTC+2) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (the EU rule, in force since 1996).
public enum StockholmTime {
    private static let hour: Int64 = 3_600_000
    private static let day: Int64 = 86_400_000

    /// The UTC offset in force at `time`, in milliseconds.
    public static func utcOffset(at time: Timestamp) -> Int64 {
        let ms = time.millisecondsSinceEpoch
        let year = LocalDate(daysSinceEpoch: Int(floorDiv(ms, day))).year
        let start = Int64(lastSunday(year: year, month: 3).daysSinceEpoch) * day + hour
        let end = Int64(lastSunday(year: year, month: 10).daysSinceEpoch) * day + hour
        return (ms >= start && ms < end) ? 2 * hour : hour
    }

    /// Whether summer time (CEST) is in force at `time`.
    public static func isSummerTime(at time: Timestamp) -> Bool { utcOffset(at: time) == 2 * hour }

    /// The wall-clock time in Stockholm at `time`.
    public static func local(_ time: Timestamp) -> LocalDateTime {
        let localMs = time.millisecondsSinceEpoch + utcOffset(at: time)
        let days = floorDiv(localMs, day)
        let msOfDay = Int(localMs - days * day)
        let minuteOfDay = msOfDay / 60_000
        return LocalDateTime(
            date: LocalDate(daysSinceEpoch: Int(days)),
            time: LocalTime(hour: minuteOfDay / 60, minute: minuteOfDay % 60),
            millisecondsInMinute: msOfDay % 60_000)
    }

    /// Every instant whose Stockholm wall-clock time is `local`: none in the spring-forward
    /// gap (02:00–03:00 on the last Sunday of March), two in the autumn overlap, else one.
    public static func instants(of local: LocalDateTime) -> [Timestamp] {
        let wall = Int64(local.date.daysSinceEpoch) * day
            + Int64(local.time.minutesSinceMidnight) * 60_000 + Int64(local.millisecondsInMinute)
        return [2 * hour, hour].compactMap { offset in
            let candidate = Timestamp(millisecondsSinceEpoch: wall - offset)
            return utcOffset(at: candidate) == offset ? candidate : nil
        }
    }

    /// The instant of `time` on `date`, for schedules: the earlier one in an overlap, and in a
    /// spring-forward gap the moment the clocks jump (so a 02:30 start begins at 03:00 CEST).
    public static func resolve(_ date: LocalDate, _ time: LocalTime) -> Timestamp {
        let local = LocalDateTime(date: date, time: time)
        if let first = instants(of: local).first { return first }
        // In the gap: the wall time does not exist; the next existing minute is 03:00.
        let wall = Int64(date.daysSinceEpoch) * day + Int64(time.minutesSinceMidnight) * 60_000
        let jump = Int64(lastSunday(year: date.year, month: 3).daysSinceEpoch) * day + hour
        return Timestamp(millisecondsSinceEpoch: max(jump, wall - 2 * hour))
    }

    /// The last Sunday of `month` in `year`.
    public static func lastSunday(year: Int, month: Int) -> LocalDate {
        let nextMonth = month == 12 ? LocalDate(year: year + 1, month: 1, day: 1) : LocalDate(year: year, month: month + 1, day: 1)
        let last = nextMonth.adding(days: -1)
        return last.adding(days: -(last.weekday % 7))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

extension Timestamp {
    /// Europe/Stockholm wall-clock time to the second, e.g. `2026-11-25 23:03:23`, for texts
    /// operators read (causes, decision reasons).
    public var stockholm: String {
        let local = StockholmTime.local(self)
        let seconds = (millisecondsSinceEpoch % 60_000 + 60_000) % 60_000 / 1000
        return "\(local.date) \(local.time)" + (seconds == 0 ? "" : (seconds < 10 ? ":0" : ":") + "\(seconds)")
    }
}
