/// Swedish public holidays (röda dagar) plus the days that are kept as holidays in practice
/// (midsommarafton, julafton, nyårsafton), computed for any Gregorian year.
public enum SwedishHolidays {
    /// Every holiday of `year`, in date order, with its Swedish name.
    public static func holidays(in year: Int) -> [(date: LocalDate, name: String)] {
        let easter = easterSunday(year: year)
        let midsummerEve = firstWeekday(5, onOrAfter: LocalDate(year: year, month: 6, day: 19))
        let allSaints = firstWeekday(6, onOrAfter: LocalDate(year: year, month: 10, day: 31))
        let list: [(LocalDate, String)] = [
            (LocalDate(year: year, month: 1, day: 1), "Nyårsdagen"),
            (LocalDate(year: year, month: 1, day: 6), "Trettondedag jul"),
            (easter.adding(days: -2), "Långfredagen"),
            (easter, "Påskdagen"),
            (easter.adding(days: 1), "Annandag påsk"),
            (LocalDate(year: year, month: 5, day: 1), "Första maj"),
            (easter.adding(days: 39), "Kristi himmelfärdsdag"),
            (easter.adding(days: 49), "Pingstdagen"),
            (LocalDate(year: year, month: 6, day: 6), "Sveriges nationaldag"),
            (midsummerEve, "Midsommarafton"),
            (midsummerEve.adding(days: 1), "Midsommardagen"),
            (allSaints, "Alla helgons dag"),
            (LocalDate(year: year, month: 12, day: 24), "Julafton"),
            (LocalDate(year: year, month: 12, day: 25), "Juldagen"),
            (LocalDate(year: year, month: 12, day: 26), "Annandag jul"),
            (LocalDate(year: year, month: 12, day: 31), "Nyårsafton"),
        ]
        return list.sorted { $0.0 < $1.0 }.map { (date: $0.0, name: $0.1) }
    }

    /// The holiday's name when `date` is one, else nil.
    /// Allocation-free, as schedules ask it for every instant they evaluate.
    public static func name(of date: LocalDate) -> String? {
        switch (date.month, date.day) {
        case (1, 1): return "Nyårsdagen"
        case (1, 6): return "Trettondedag jul"
        case (5, 1): return "Första maj"
        case (6, 6): return "Sveriges nationaldag"
        case (12, 24): return "Julafton"
        case (12, 25): return "Juldagen"
        case (12, 26): return "Annandag jul"
        case (12, 31): return "Nyårsafton"
        default: break
        }
        switch date.month {
        case 3...6:
            if date.month == 6, date.weekday == 5, (19...25).contains(date.day) { return "Midsommarafton" }
            if date.month == 6, date.weekday == 6, (20...26).contains(date.day) { return "Midsommardagen" }
            switch date.daysSinceEpoch - easterSunday(year: date.year).daysSinceEpoch {
            case -2: return "Långfredagen"
            case 0: return "Påskdagen"
            case 1: return "Annandag påsk"
            case 39: return "Kristi himmelfärdsdag"
            case 49: return "Pingstdagen"
            default: return nil
            }
        case 10, 11:
            let inWindow = date.month == 10 ? date.day == 31 : date.day <= 6
            return inWindow && date.weekday == 6 ? "Alla helgons dag" : nil
        default:
            return nil
        }
    }

    /// Easter Sunday (Gregorian computus, anonymous algorithm).
    public static func easterSunday(year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)
    }

    private static func firstWeekday(_ weekday: Int, onOrAfter date: LocalDate) -> LocalDate {
        date.adding(days: (weekday - date.weekday + 7) % 7)
    }
}
