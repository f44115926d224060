import Testing
@testable import PropertyWatchCore

@Suite struct ShiftDutyTests {
    private let weekdayNights = ShiftConfiguration(
        id: "weekday-nights", units: ["P2"], weekdays: [1, 2, 3, 4],
        start: LocalTime(hour: 23), end: LocalTime(hour: 5))
    private let weekendNights = ShiftConfiguration(
        id: "weekend-nights", units: ["P2"], weekdays: [5, 6, 7],
        start: LocalTime(hour: 20), end: LocalTime(hour: 5))

    @Test(arguments: [
        (local(2026, 10, 5, 22, 59), false),  // Monday evening, before start
        (local(2026, 10, 5, 23, 0), true),
        (local(2026, 10, 6, 4, 59), true),    // Monday's night, on Tuesday morning
        (local(2026, 10, 6, 5, 0), false),
        (local(2026, 10, 9, 23, 30), false),  // Friday belongs to the weekend shift
        (local(2026, 10, 12, 3, 0), false),   // Sunday's night is the weekend shift's
    ])
    func weekdayNightDuty(time: Timestamp, onDuty: Bool) {
        #expect(weekdayNights.isOnDuty(at: time) == onDuty)
    }

    @Test func weekendShiftCoversSundayNight() {
        #expect(weekendNights.isOnDuty(at: local(2026, 10, 12, 3)))
        #expect(!weekendNights.isOnDuty(at: local(2026, 10, 12, 5)))
        #expect(!weekendNights.isOnDuty(at: local(2026, 10, 12, 21)))
    }

    @Test func shiftNightBelongsToTheDayItStarts() throws {
        let night = try #require(weekdayNights.night(containingOrAfter: local(2026, 10, 6, 3)))
        #expect(night.date == date(2026, 10, 5))
        #expect(night.start == local(2026, 10, 5, 23))
        #expect(night.end == local(2026, 10, 6, 5))
        let next = try #require(weekdayNights.night(containingOrAfter: local(2026, 10, 6, 12)))
        #expect(next.date == date(2026, 10, 6))
        // Thursday night ends Friday 05:00; the next weekday night is Monday's.
        let afterThursday = try #require(weekdayNights.night(containingOrAfter: local(2026, 10, 9, 5)))
        #expect(afterThursday.date == date(2026, 10, 12))
        #expect(night.instant(of: LocalTime(hour: 23, minute: 30)) == local(2026, 10, 5, 23, 30))
        #expect(night.instant(of: LocalTime(hour: 1, minute: 30)) == local(2026, 10, 6, 1, 30))
    }

    @Test func weekendNightAcrossOctoberChangeLastsTenHours() throws {
        let night = try #require(weekendNights.night(startingOn: date(2026, 10, 24)))
        #expect(night.end - night.start == .hours(10))
        #expect(weekendNights.isOnDuty(at: utc(2026, 10, 25, 0, 30)))  // first 02:30
        #expect(weekendNights.isOnDuty(at: utc(2026, 10, 25, 1, 30)))  // second 02:30
        #expect(weekendNights.isOnDuty(at: utc(2026, 10, 25, 3, 59)))  // 04:59 CET
        #expect(!weekendNights.isOnDuty(at: utc(2026, 10, 25, 4)))
        // A route stop at 03:00 is at the single 03:00 CET.
        #expect(night.instant(of: LocalTime(hour: 3)) == utc(2026, 10, 25, 2))
    }

    @Test func weekendNightAcrossMarchChangeLastsEightHours() throws {
        let night = try #require(weekendNights.night(startingOn: date(2026, 3, 28)))
        #expect(night.end - night.start == .hours(8))
        #expect(weekendNights.isOnDuty(at: utc(2026, 3, 29, 0, 59)))  // 01:59 CET
        #expect(weekendNights.isOnDuty(at: utc(2026, 3, 29, 1)))      // 03:00 CEST
        #expect(!weekendNights.isOnDuty(at: utc(2026, 3, 29, 3)))     // 05:00 CEST
        // A stop planned at 02:30 falls in the gap and is due when the clocks jump.
        #expect(night.instant(of: LocalTime(hour: 2, minute: 30)) == utc(2026, 3, 29, 1))
    }

    @Test func weekdayNightsAcrossBothChanges() throws {
        // Sunday 25 October is not a weekday-night day; Monday 26 is a normal 6 h night.
        #expect(weekdayNights.night(startingOn: date(2026, 10, 25)) == nil)
        let monday = try #require(weekdayNights.night(startingOn: date(2026, 10, 26)))
        #expect(monday.end - monday.start == .hours(6))
        // A 23–05 shift starting Saturday: 7 h in October, 5 h in March.
        let everyNight = ShiftConfiguration(id: "n", units: [], weekdays: Set(1...7), start: LocalTime(hour: 23), end: LocalTime(hour: 5))
        let oct = try #require(everyNight.night(startingOn: date(2026, 10, 24)))
        #expect(oct.end - oct.start == .hours(7))
        let mar = try #require(everyNight.night(startingOn: date(2026, 3, 28)))
        #expect(mar.end - mar.start == .hours(5))
    }

    @Test func noWeekdaysMeansNoNight() {
        let idle = ShiftConfiguration(id: "idle", units: [], weekdays: [], start: LocalTime(hour: 20), end: LocalTime(hour: 5))
        #expect(idle.night(containingOrAfter: local(2026, 10, 5, 12)) == nil)
        #expect(!idle.isOnDuty(at: local(2026, 10, 5, 22)))
    }
}
