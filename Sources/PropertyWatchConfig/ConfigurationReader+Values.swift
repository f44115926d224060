import PropertyWatchCore

extension ConfigurationReader {
    static let weekdayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let weekdayNames: [String: Int] = {
        var names: [String: Int] = [:]
        let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let swedish = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
        for day in 0..<7 {
            names[weekdayKeys[day]] = day + 1
            names[english[day]] = day + 1
            names[swedish[day]] = day + 1
            names[String(day + 1)] = day + 1
        }
        return names
    }()

    /// A local time of day, `HH:MM`, 00:00…23:59.
    mutating func time(_ entry: Entry?) -> LocalTime? {
        guard let entry, let text = scalar(entry, expected: "a time like \"18:30\"") else { return nil }
        guard let time = LocalTime(parsing: text), time.hour < 24 else {
            error(entry, "'\(text)' is not a time of day (HH:MM, 00:00–23:59)")
            return nil
        }
        return time
    }

    /// A range `HH:MM-HH:MM`; an end at or before the start runs past midnight, `24:00` is midnight.
    mutating func timeRange(_ entry: Entry?) -> LocalTimeRange? {
        guard let entry, let text = scalar(entry, expected: "a time range like \"07:00-18:00\"") else { return nil }
        guard let range = LocalTimeRange(parsing: text) else {
            error(entry, "'\(text)' is not a time range (HH:MM-HH:MM, times 00:00–24:00)")
            return nil
        }
        guard range.start.minutesSinceMidnight != range.end.minutesSinceMidnight % 1440 else {
            error(entry, "'\(text)' is an empty range (start equals end); use 00:00-24:00 for a whole day")
            return nil
        }
        return range
    }

    mutating func timeRanges(_ entry: Entry?) -> [LocalTimeRange]? {
        guard let entry else { return nil }
        if entry.node.scalar != nil { return timeRange(entry).map { [$0] } }
        return list(entry)?.compactMap { timeRange($0) }
    }

    /// A calendar date `YYYY-MM-DD`.
    mutating func date(_ entry: Entry?) -> LocalDate? {
        guard let entry, let text = scalar(entry, expected: "a date like 2026-10-26") else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1970...2200).contains(year), (1...12).contains(month), (1...31).contains(day)
        {
            let date = LocalDate(year: year, month: month, day: day)
            // Rejects 2026-02-30 and the like: a real date survives the round trip.
            if LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date { return date }
        }
        error(entry, "'\(text)' is not a date (YYYY-MM-DD)")
        return nil
    }

    /// An ISO weekday from `mon`…`sun` (or `monday`, `mån`, or 1…7).
    mutating func weekday(_ entry: Entry?) -> Int? {
        guard let entry, let text = scalar(entry, expected: "a weekday") else { return nil }
        guard let day = Self.weekdayNames[text.lowercased()] else {
            error(entry, "'\(text)' is not a weekday (mon…sun or 1…7, Monday = 1)")
            return nil
        }
        return day
    }

    /// A list of weekdays; duplicates are reported.
    mutating func weekdays(_ entry: Entry?) -> Set<Int>? {
        guard let items = list(entry) else { return nil }
        var days: Set<Int> = []
        for item in items {
            guard let day = weekday(item) else { continue }
            if !days.insert(day).inserted { error(item, "weekday listed twice") }
        }
        return days
    }

    /// A list of strings.
    mutating func strings(_ entry: Entry?) -> [String]? {
        list(entry)?.compactMap { string($0) }
    }
}
