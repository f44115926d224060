import PropertyWatchCore

/// When the nightly report is due: at `at` (Stockholm) on the morning after a night, once.
public struct ReportSchedule: Sendable, Equatable {
    public var at: LocalTime
    /// The last night reported (or skipped at start).
    public var lastDone: Night?

    public init(at: LocalTime, lastDone: Night? = nil) {
        self.at = at
        self.lastDone = lastDone
    }

    /// A schedule that starts at `now` without reporting nights already past their time.
    public static func starting(at now: Timestamp, reportAt: LocalTime) -> ReportSchedule {
        var schedule = ReportSchedule(at: reportAt)
        schedule.lastDone = schedule.latestDue(now: now)
        return schedule
    }

    /// The most recent night whose report time has passed at `now`.
    func latestDue(now: Timestamp) -> Night {
        let today = StockholmTime.local(now).date
        let dueToday = StockholmTime.resolve(today, at)
        // The report made on the morning of `today` is for the night that began the day before.
        return Night(date: (now >= dueToday ? today : today.adding(days: -1)).adding(days: -1))
    }

    /// The night to report now, if one is due; marks it done.
    public mutating func due(now: Timestamp) -> Night? {
        let night = latestDue(now: now)
        if let lastDone, night.date <= lastDone.date { return nil }
        lastDone = night
        return night
    }
}
