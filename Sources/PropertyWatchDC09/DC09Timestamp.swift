import PropertyWatchCore

/// The frame timestamp `_HH:MM:SS,MM-DD-YYYY` (UTC), as epoch milliseconds. The format is
/// DC-09's own; the calendar arithmetic is `LocalDate`'s.
public enum DC09Timestamp {
    /// Parses the 19 characters after the `_`; nil when not a real UTC time.
    public static func parse<Bytes: Collection>(_ text: Bytes) -> Int64? where Bytes.Element == UInt8 {
        let t = Array(text)
        guard t.count == 19, t[2] == UInt8(ascii: ":"), t[5] == UInt8(ascii: ":"), t[8] == UInt8(ascii: ","),
            t[11] == UInt8(ascii: "-"), t[14] == UInt8(ascii: "-")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for b in t[range] {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(b - UInt8(ascii: "0"))
            }
            return v
        }
        guard let hour = number(0..<2), let minute = number(3..<5), let second = number(6..<8),
            let month = number(9..<11), let day = number(12..<14), let year = number(15..<19),
            hour < 24, minute < 60, second < 60, (1...12).contains(month), (1...31).contains(day), year >= 1970
        else { return nil }
        let days = LocalDate(year: year, month: month, day: day).daysSinceEpoch
        guard LocalDate(daysSinceEpoch: days).day == day else { return nil }  // not 02-30
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000
    }

    /// Formats epoch milliseconds as `HH:MM:SS,MM-DD-YYYY` (no leading `_`).
    public static func format(_ epochMilliseconds: Int64) -> String {
        let seconds = epochMilliseconds >= 0 ? epochMilliseconds / 1000 : (epochMilliseconds - 999) / 1000
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = LocalDate(daysSinceEpoch: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)),"
            + "\(two(date.month))-\(two(date.day))-\(date.year)"
    }
}
