import Testing
@testable import PropertyWatchCore

/// Tonight's shifts and routes as instants, across DST changes.
@Suite struct NightPlanTests {
    typealias F = PatrolFixture

    static let shift2305 = ShiftConfiguration(
        id: "late", units: ["P1"], weekdays: [6], start: LocalTime(hour: 23), end: LocalTime(hour: 5))

    func utc(_ date: LocalDate, _ h: Int, _ m: Int = 0) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: (Int64(date.daysSinceEpoch) * 1440 + Int64(h * 60 + m)) * 60_000)
    }

    /// Saturday nights 23–05 with a stop at 02:30 (inside the repeated or skipped hour).
    @Test(arguments: [
        // evening, hours, stop start (UTC h, m), stop end (UTC h, m)
        (LocalDate(year: 2026, month: 10, day: 24), 7, (0, 30), (0, 45)),  // 02:30 CEST, the first of two
        (LocalDate(year: 2026, month: 3, day: 28), 5, (1, 0), (1, 15)),  // 02:30–02:45 does not exist: 03:00–03:15 CEST
        (LocalDate(year: 2026, month: 1, day: 17), 6, (1, 30), (1, 45)),  // an ordinary winter night
    ])
    func shiftAndWindowsAcrossDST(evening: LocalDate, hours: Int64, start: (Int, Int), end: (Int, Int)) throws {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [
            F.stop(45, (2, 30), (2, 45), dwell: 5), F.stop(46, (3, 30), (3, 45), dwell: 5),
        ])
        let dir = F.directory(units: F.units("P1"), shifts: [Self.shift2305], routes: [route])
        var c = DispatchCoordinator(directory: dir)
        let morning = evening.adding(days: 1)
        _ = c.tick(now: StockholmTime.resolve(evening, LocalTime(hour: 23, minute: 30)))
        let plan = c.tonight
        #expect(plan.night == evening)
        let shift = try #require(plan.shifts.first)
        #expect(shift.end - shift.start == .hours(hours))
        #expect(shift.start == StockholmTime.resolve(evening, LocalTime(hour: 23)))
        let stop = try #require(plan.stop("r#0"))
        #expect(stop.windowStart == utc(morning, start.0, start.1))
        #expect(stop.windowEnd == utc(morning, end.0, end.1))
        #expect(stop.dwell == .minutes(5))
        #expect(plan.route(of: "P1")?.stops.map(\.id) == ["r#0", "r#1"])
        // On shift until 05:00 local, whatever the offset.
        #expect(c.isOnShift("P1", at: StockholmTime.resolve(morning, LocalTime(hour: 4, minute: 59))))
        #expect(!c.isOnShift("P1", at: StockholmTime.resolve(morning, LocalTime(hour: 5))))
    }

    @Test func aShiftBelongsToTheWeekdayItStartsOn() {
        // Shift on Saturdays only (weekday 6): Saturday night runs into Sunday morning.
        let dir = F.directory(units: F.units("P1"), shifts: [Self.shift2305])
        var c = DispatchCoordinator(directory: dir)
        let sundayMorning = StockholmTime.resolve(LocalDate(year: 2026, month: 1, day: 18), LocalTime(hour: 1))
        _ = c.tick(now: sundayMorning)
        #expect(c.tonight.night == LocalDate(year: 2026, month: 1, day: 17))
        #expect(c.isOnShift("P1", at: sundayMorning))
        let saturdayMorning = StockholmTime.resolve(LocalDate(year: 2026, month: 1, day: 17), LocalTime(hour: 1))
        var d = DispatchCoordinator(directory: dir)
        _ = d.tick(now: saturdayMorning)
        #expect(d.tonight.shifts.isEmpty)
        #expect(!d.isOnShift("P1", at: saturdayMorning))
    }

    @Test func theNextNightStartsAFreshPlan() {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [F.stop(45, (23, 0), (23, 30), dwell: 5)])
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1"), routes: [route]))
        _ = c.tick(now: F.at(23, 30))
        #expect(c.tonight.coverage.missed == 1)
        _ = c.tick(now: F.at(13, 0, night: F.winterNight.adding(days: 1)))  // noon passed: the night of the 15th
        #expect(c.tonight.night == F.winterNight.adding(days: 1))
        #expect(c.tonight.coverage == NightCoverage(pending: 1))
    }
}
