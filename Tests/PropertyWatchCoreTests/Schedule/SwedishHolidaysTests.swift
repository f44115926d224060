import Testing
@testable import PropertyWatchCore

@Suite struct SwedishHolidaysTests {
    @Test(arguments: [
        (2000, date(2000, 4, 23)), (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22)),
    ])
    func easter(year: Int, expected: LocalDate) {
        #expect(SwedishHolidays.easterSunday(year: year) == expected)
    }

    @Test func holidaysOf2026() {
        let names = Dictionary(uniqueKeysWithValues: SwedishHolidays.holidays(in: 2026).map { ($0.name, $0.date) })
        #expect(names["Långfredagen"] == date(2026, 4, 3))
        #expect(names["Annandag påsk"] == date(2026, 4, 6))
        #expect(names["Kristi himmelfärdsdag"] == date(2026, 5, 14))
        #expect(names["Pingstdagen"] == date(2026, 5, 24))
        #expect(names["Midsommarafton"] == date(2026, 6, 19))
        #expect(names["Midsommardagen"] == date(2026, 6, 20))
        #expect(names["Alla helgons dag"] == date(2026, 10, 31))
        #expect(names.count == 16)
    }

    @Test func lookupAgreesWithTheListForManyYears() {
        for year in 1990...2060 {
            let listed = Set(SwedishHolidays.holidays(in: year).map(\.date))
            #expect(listed.count >= 15)  // Pingstdagen can fall on 6 June, Kristi himmelfärd on 1 May
            var day = date(year, 1, 1)
            while day.year == year {
                let named = SwedishHolidays.name(of: day)
                #expect((named != nil) == listed.contains(day), "\(day)")
                day = day.adding(days: 1)
            }
        }
        #expect(SwedishHolidays.name(of: date(2027, 11, 6)) == "Alla helgons dag")
        #expect(HolidayCalendar.none.isHoliday(date(2026, 12, 25)) == false)
        #expect(HolidayCalendar.swedish.isHoliday(date(2026, 12, 25)))
    }
}
