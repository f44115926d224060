import Testing
@testable import PropertyWatchCore

@Suite struct StockholmTimeTests {
    private func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Timestamp {
        let days = Int64(LocalDate(year: y, month: mo, day: d).daysSinceEpoch)
        return Timestamp(millisecondsSinceEpoch: days * 86_400_000 + Int64(h * 60 + mi) * 60_000)
    }

    @Test func calendarRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1).weekday == 4)
        #expect(LocalDate(year: 2026, month: 11, day: 25).weekday == 3)
    }

    @Test func lastSundays() {
        #expect(StockholmTime.lastSunday(year: 2026, month: 3) == LocalDate(year: 2026, month: 3, day: 29))
        #expect(StockholmTime.lastSunday(year: 2026, month: 10) == LocalDate(year: 2026, month: 10, day: 25))
        #expect(StockholmTime.lastSunday(year: 2027, month: 3) == LocalDate(year: 2027, month: 3, day: 28))
    }

    @Test func winterAndSummerOffsets() {
        #expect(StockholmTime.local(utc(2026, 1, 15, 22)).time == LocalTime(hour: 23))
        #expect(StockholmTime.local(utc(2026, 7, 15, 22)).time == LocalTime(hour: 0))
        #expect(StockholmTime.local(utc(2026, 7, 15, 22)).date == LocalDate(year: 2026, month: 7, day: 16))
    }

    @Test func springForwardGap() {
        // 2026-03-29: 01:59 CET is followed by 03:00 CEST.
        #expect(StockholmTime.local(utc(2026, 3, 29, 0, 59)).time == LocalTime(hour: 1, minute: 59))
        #expect(StockholmTime.local(utc(2026, 3, 29, 1, 0)).time == LocalTime(hour: 3))
        let gap = LocalDateTime(date: LocalDate(year: 2026, month: 3, day: 29), time: LocalTime(hour: 2, minute: 30))
        #expect(StockholmTime.instants(of: gap).isEmpty)
        #expect(StockholmTime.resolve(gap.date, gap.time) == utc(2026, 3, 29, 1))
    }

    @Test func fallBackOverlap() {
        // 2026-10-25: 02:00–03:00 happens twice.
        let twice = LocalDateTime(date: LocalDate(year: 2026, month: 10, day: 25), time: LocalTime(hour: 2, minute: 30))
        #expect(StockholmTime.instants(of: twice) == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)])
        #expect(StockholmTime.resolve(twice.date, twice.time) == utc(2026, 10, 25, 0, 30))
    }

    @Test func nightShiftLengthAcrossDST() {
        // A 23–05 shift starting the evening before the change lasts 7 h in October, 5 h in March.
        let octStart = StockholmTime.resolve(LocalDate(year: 2026, month: 10, day: 24), LocalTime(hour: 23))
        let octEnd = StockholmTime.resolve(LocalDate(year: 2026, month: 10, day: 25), LocalTime(hour: 5))
        #expect((octEnd - octStart) == .hours(7))
        let marStart = StockholmTime.resolve(LocalDate(year: 2026, month: 3, day: 28), LocalTime(hour: 23))
        let marEnd = StockholmTime.resolve(LocalDate(year: 2026, month: 3, day: 29), LocalTime(hour: 5))
        #expect((marEnd - marStart) == .hours(5))
    }
}
