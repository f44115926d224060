@testable import PropertyWatchCore

/// Stockholm wall-clock instant (the earlier one in an overlap).
func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Timestamp {
    StockholmTime.resolve(LocalDate(year: y, month: mo, day: d), LocalTime(hour: h, minute: mi))
}

/// UTC instant.
func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Timestamp {
    let days = Int64(LocalDate(year: y, month: mo, day: d).daysSinceEpoch)
    return Timestamp(millisecondsSinceEpoch: days * 86_400_000 + Int64(h * 60 + mi) * 60_000)
}

func range(_ text: String) -> LocalTimeRange { LocalTimeRange(parsing: text)! }

func date(_ y: Int, _ mo: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: mo, day: d) }
