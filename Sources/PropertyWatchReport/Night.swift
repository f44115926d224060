import PropertyWatchCore

/// One night of watch: from noon Europe/Stockholm on `date` to noon the next day (the
/// dispatch planner's night boundary).
public struct Night: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The date the night begins on.
    public var date: LocalDate

    public init(date: LocalDate) { self.date = date }

    /// The night `time` belongs to.
    public init(containing time: Timestamp) {
        let local = StockholmTime.local(time)
        date = local.time.hour >= 12 ? local.date : local.date.adding(days: -1)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        date = LocalDate(year: parts[0], month: parts[1], day: parts[2])
    }

    public var start: Timestamp { StockholmTime.resolve(date, LocalTime(hour: 12)) }
    public var end: Timestamp { StockholmTime.resolve(date.adding(days: 1), LocalTime(hour: 12)) }

    public func contains(_ time: Int64) -> Bool {
        time >= start.millisecondsSinceEpoch && time < end.millisecondsSinceEpoch
    }

    public var description: String { date.description }
}

/// Formatting in Europe/Stockholm wall-clock time.
public enum LocalFormat {
    /// `HH:MM`.
    public static func time(_ ms: Int64) -> String {
        let t = StockholmTime.local(Timestamp(millisecondsSinceEpoch: ms)).time
        return pad(t.hour) + ":" + pad(t.minute)
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    public static func dateTime(_ ms: Int64) -> String {
        let l = StockholmTime.local(Timestamp(millisecondsSinceEpoch: ms))
        return "\(l.date) \(pad(l.time.hour)):\(pad(l.time.minute)):\(pad(l.millisecondsInMinute / 1000))"
    }

    /// A duration as `1 h 05 min`, `4 min 10 s` or `35 s`.
    public static func duration(_ ms: Int64) -> String {
        let seconds = max(0, ms / 1000)
        if seconds >= 3600 { return "\(seconds / 3600) h \(pad(Int(seconds % 3600 / 60))) min" }
        if seconds >= 60 { return "\(seconds / 60) min \(pad(Int(seconds % 60))) s" }
        return "\(seconds) s"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
