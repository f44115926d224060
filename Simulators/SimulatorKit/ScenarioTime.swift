import PropertyWatchCore

/// Times and durations as scenario files write them, in Europe/Stockholm wall-clock time.
public enum ScenarioTime {
    /// `"2026-11-27 18:00"` (or with `T`, optionally `:SS`).
    public static func dateTime(_ text: String) -> Timestamp? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { return nil }
        let d = parts[0].split(separator: "-").compactMap { Int($0) }
        guard d.count == 3, let (time, seconds) = clock(String(parts[1])) else { return nil }
        return StockholmTime.resolve(LocalDate(year: d[0], month: d[1], day: d[2]), time) + .seconds(Int64(seconds))
    }

    /// `"22:40"`, `"22:40:30"`: the first such wall-clock instant at or after `start` (the
    /// earlier one in the autumn overlap); `"+8h30m"`: that long after `start`; or a full date-time.
    public static func instant(_ text: String, after start: Timestamp) -> Timestamp? {
        if text.hasPrefix("+") { return duration(String(text.dropFirst())).map { start + $0 } }
        if let full = dateTime(text) { return full }
        guard let (time, seconds) = clock(text) else { return nil }
        let day = StockholmTime.local(start).date
        for offset in 0...2 {
            let date = day.adding(days: offset)
            var candidates = StockholmTime.instants(of: LocalDateTime(date: date, time: time))
            if candidates.isEmpty { candidates = [StockholmTime.resolve(date, time)] }
            if let t = candidates.map({ $0 + .seconds(Int64(seconds)) }).filter({ $0 >= start }).min() { return t }
        }
        return nil
    }

    /// `"90"` (seconds), `"30s"`, `"2m"`, `"1h30m"`, `"1h30m15s"`.
    public static func duration(_ text: String) -> Milliseconds? {
        if let seconds = Int64(text) { return .seconds(seconds) }
        var total: Int64 = 0
        var number = ""
        var any = false
        for ch in text {
            if ch.isNumber {
                number.append(ch)
                continue
            }
            guard let n = Int64(number) else { return nil }
            switch ch {
            case "h": total += n * 3_600_000
            case "m": total += n * 60_000
            case "s": total += n * 1000
            default: return nil
            }
            number = ""
            any = true
        }
        return any && number.isEmpty ? Milliseconds(total) : nil
    }

    /// Local `HH:MM:SS` of an instant, for logs.
    public static func format(_ t: Timestamp) -> String {
        let local = StockholmTime.local(t)
        let s = local.millisecondsInMinute / 1000
        let zone = StockholmTime.isSummerTime(at: t) ? "CEST" : "CET"
        return "\(local.time):" + (s < 10 ? "0" : "") + "\(s) \(zone)"
    }

    /// Local date and time of an instant, for reports.
    public static func formatFull(_ t: Timestamp) -> String {
        "\(StockholmTime.local(t).date) \(format(t))"
    }

    private static func clock(_ text: String) -> (LocalTime, Int)? {
        let p = text.split(separator: ":").map { Int($0) }
        guard p.count == 2 || p.count == 3, let h = p[0], let m = p[1], (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        let s = p.count == 3 ? p[2] : 0
        guard let s, (0..<60).contains(s) else { return nil }
        return (LocalTime(hour: h, minute: m), s)
    }
}
