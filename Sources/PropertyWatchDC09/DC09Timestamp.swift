/// The frame timestamp `_HH:MM:SS,MM-DD-YYYY` (UTC), as epoch milliseconds.
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
        let days = daysFromCivil(year: year, month: month, day: day)
        guard civil(days).day == day else { return nil }
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000
    }

    /// Formats epoch milliseconds as `HH:MM:SS,MM-DD-YYYY` (no leading `_`).
    public static func format(_ epochMilliseconds: Int64) -> String {
        let seconds = epochMilliseconds >= 0 ? epochMilliseconds / 1000 : (epochMilliseconds - 999) / 1000
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = civil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)),"
            + "\(two(date.month))-\(two(date.day))-\(date.year)"
    }

    // Howard Hinnant's days-from-civil algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
