/// Which public holidays close a site (`holidays:` in the configuration).
public enum HolidayCalendar: String, Sendable, Hashable, CaseIterable, Encodable {
    case none
    case swedish

    /// Whether `date` is a holiday in this calendar.
    public func isHoliday(_ date: LocalDate) -> Bool {
        switch self {
        case .none: false
        case .swedish: SwedishHolidays.name(of: date) != nil
        }
    }
}
