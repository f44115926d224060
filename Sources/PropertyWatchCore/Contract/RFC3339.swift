/// RFC 3339 date-times (`2026-11-25T21:03:00.250Z`, `…+01:00`) to and from `Timestamp`,
/// without Foundation; the calendar arithmetic is `LocalDate`'s. Fractions beyond milliseconds
/// are truncated; leap seconds are refused.
enum RFC3339 {
    static func parse(_ text: UnsafeRawBufferPointer) -> Timestamp? {
        guard text.count >= 20 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for i in from..<(from + length) {
                let b = text[i]
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), text[4] == UInt8(ascii: "-"), let month = number(5, 2),
            text[7] == UInt8(ascii: "-"), let day = number(8, 2),
            text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t"),
            let hour = number(11, 2), text[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            text[16] == UInt8(ascii: ":"), let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var i = 19
        var millis = 0
        if text[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
                if digits < 3 { millis = millis * 10 + Int(text[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { millis *= 10 }
        }
        guard i < text.count else { return nil }
        var offsetMinutes = 0
        switch text[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == text.count, let h = number(i + 1, 2), text[i + 3] == UInt8(ascii: ":"),
                let m = number(i + 4, 2), h < 24, m < 60
            else { return nil }
            offsetMinutes = (h * 60 + m) * (text[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == text.count else { return nil }
        let days = LocalDate(year: year, month: month, day: day).daysSinceEpoch
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Timestamp(millisecondsSinceEpoch: Int64(seconds) * 1000 + Int64(millis))
    }

    /// `2026-11-25T21:03:00.250Z`.
    static func format(_ time: Timestamp) -> String {
        let ms = time.millisecondsSinceEpoch
        let (secondsTotal, millis) = ms.quotientAndRemainder(dividingBy: 1000)
        let adjustedSeconds = millis < 0 ? secondsTotal - 1 : secondsTotal
        let milli = millis < 0 ? millis + 1000 : millis
        var days = adjustedSeconds / 86_400
        var secondOfDay = adjustedSeconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let date = LocalDate(daysSinceEpoch: Int(days))
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let sod = Int(secondOfDay)
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(sod / 3600, 2)):\(pad(sod / 60 % 60, 2)):\(pad(sod % 60, 2)).\(pad(Int(milli), 3))Z"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
