import PropertyWatchCore

extension ConfigurationReader {
    /// The schedule keys of a site: `opening_hours`, `arm_by`, `arm_grace_minutes`,
    /// `exceptions`, `holidays`.
    mutating func schedule(_ site: Fields) -> SiteSchedule {
        var schedule = SiteSchedule()
        if let f = fields(site["opening_hours"], known: Self.weekdayKeys) {
            for (index, key) in Self.weekdayKeys.enumerated() {
                if let ranges = timeRanges(f[key]) { schedule.openingHours[index + 1] = ranges }
            }
        }
        if let f = fields(site["arm_by"], known: Self.weekdayKeys) {
            for (index, key) in Self.weekdayKeys.enumerated() {
                if let time = time(f[key]) { schedule.armBy[index + 1] = time }
            }
        }
        if let minutes = int(site["arm_grace_minutes"], in: 0...720) { schedule.armGrace = .minutes(Int64(minutes)) }
        schedule.exceptions = (list(site["exceptions"]) ?? []).compactMap { exception($0) }
        if let name = choice(site["holidays"], of: HolidayCalendar.allCases.map(\.rawValue)) {
            schedule.holidays = HolidayCalendar(rawValue: name) ?? .none
        }
        return schedule
    }

    private mutating func exception(_ entry: Entry) -> ScheduleException? {
        guard let f = fields(entry, known: ["from", "to", "kind", "weekdays", "hours", "reason"]) else { return nil }
        let from = date(require(f, "from"))
        let to = f.has("to") ? date(f["to"]) : from
        let kind = choice(require(f, "kind"), of: ScheduleException.Kind.allCases.map(\.rawValue))
            .flatMap(ScheduleException.Kind.init(rawValue:))
        let weekdays = weekdays(f["weekdays"]) ?? []
        if let e = f["weekdays"], weekdays.isEmpty, e.node.sequence?.isEmpty == true {
            error(e, "an empty weekdays list never applies; leave it out to mean every day")
        }
        let hours = timeRanges(f["hours"]) ?? []
        let reason = string(f["reason"], allowEmpty: true) ?? ""
        guard let from, let to, let kind else { return nil }
        if to < from, let e = f["to"] {
            error(e, "the exception ends (\(to)) before it starts (\(from))")
            return nil
        }
        if kind == .closed, let e = f["hours"] {
            error(e, "hours only apply to kind open; a closed exception closes whole days")
            return nil
        }
        return ScheduleException(from: from, to: to, kind: kind, weekdays: weekdays, hours: hours, reason: reason)
    }
}
