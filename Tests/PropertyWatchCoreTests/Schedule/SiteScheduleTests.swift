import Testing
@testable import PropertyWatchCore

@Suite struct SiteScheduleTests {
    /// A school: weekdays 07:00–17:00, closes at 12:00–13:00 on Wednesdays for nothing in
    /// particular (a second range), gym let Tuesdays 18:00–21:00 in the autumn term.
    private let school = SiteSchedule(
        openingHours: [
            1: [range("07:00-17:00")], 2: [range("07:00-17:00")],
            3: [range("07:00-12:00"), range("13:00-17:00")],
            4: [range("07:00-17:00")], 5: [range("07:00-16:00")],
        ],
        armBy: [1: LocalTime(hour: 18, minute: 30)],
        armGrace: .minutes(15),
        exceptions: [
            ScheduleException(from: date(2026, 8, 17), to: date(2026, 12, 18), kind: .open, weekdays: [2],
                              hours: [range("18:00-21:00")], reason: "Gymnastiksalen uthyrd"),
            ScheduleException(from: date(2026, 10, 26), to: date(2026, 10, 30), kind: .closed, reason: "Höstlov"),
        ],
        holidays: .swedish)

    @Test(arguments: [
        (local(2026, 10, 5, 6, 59), false),   // Monday before opening
        (local(2026, 10, 5, 7, 0), true),
        (local(2026, 10, 5, 16, 59), true),
        (local(2026, 10, 5, 17, 0), false),
        (local(2026, 10, 7, 12, 30), false),  // Wednesday lunch gap
        (local(2026, 10, 7, 13, 0), true),
        (local(2026, 10, 10, 10, 0), false),  // Saturday
        (local(2026, 10, 6, 19, 0), true),    // Tuesday letting
        (local(2026, 10, 6, 21, 0), false),
        (local(2026, 10, 7, 19, 0), false),   // no letting on Wednesday
        (local(2026, 12, 22, 19, 0), false),  // letting ended
        (local(2026, 10, 27, 10, 0), false),  // höstlov Tuesday morning…
        (local(2026, 10, 27, 19, 0), true),   // …but the gym is still let that evening
        (local(2026, 4, 3, 10, 0), false),    // Långfredagen
        (local(2026, 4, 6, 10, 0), false),    // Annandag påsk
        (local(2026, 5, 14, 10, 0), false),   // Kristi himmelfärdsdag
        (local(2026, 6, 19, 10, 0), false),   // Midsommarafton
        (local(2026, 4, 7, 10, 0), true),
    ])
    func openingHoursExceptionsAndHolidays(time: Timestamp, open: Bool) {
        #expect(school.isOpen(at: time) == open)
    }

    @Test func emptyScheduleIsNeverOpenAndAlwaysArmed() {
        let never = SiteSchedule()
        #expect(!never.isOpen(at: local(2026, 1, 1, 12)))
        #expect(never.expectedArmed(at: local(2026, 1, 1, 12)))
        #expect(never.nextChange(after: local(2026, 1, 1, 12)) == nil)
        #expect(never.armDeadline(after: local(2026, 1, 1, 12)) == nil)
    }

    @Test func alwaysOpenHasNoChanges() {
        let always = SiteSchedule(openingHours: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [LocalTimeRange.wholeDay]) }))
        #expect(always.isOpen(at: local(2026, 3, 29, 2, 30)))
        #expect(always.nextChange(after: local(2026, 3, 28, 12)) == nil)
    }

    @Test func nextAndPreviousChange() {
        #expect(school.nextChange(after: local(2026, 10, 5, 12)) == local(2026, 10, 5, 17))
        #expect(school.nextChange(after: local(2026, 10, 5, 17)) == local(2026, 10, 6, 7))
        #expect(school.nextChange(after: local(2026, 10, 6, 17)) == local(2026, 10, 6, 18))
        // Friday afternoon: next opening is Monday morning.
        #expect(school.nextChange(after: local(2026, 10, 9, 16)) == local(2026, 10, 12, 7))
        // Before höstlov: the next opening after Friday 23 Oct is Tuesday's letting.
        #expect(school.nextChange(after: local(2026, 10, 23, 16)) == local(2026, 10, 27, 18))
        #expect(school.previousChange(atOrBefore: local(2026, 10, 5, 20)) == local(2026, 10, 5, 17))
        #expect(school.previousChange(atOrBefore: local(2026, 10, 5, 17)) == local(2026, 10, 5, 17))
        #expect(school.previousChange(atOrBefore: local(2026, 10, 12, 6)) == local(2026, 10, 9, 16))
    }

    @Test func lateToClose() {
        // Monday: closes 17:00, arm by 18:30.
        #expect(school.armDeadline(after: local(2026, 10, 5, 12)) == local(2026, 10, 5, 18, 30))
        #expect(!school.expectedArmed(at: local(2026, 10, 5, 12)))
        #expect(!school.expectedArmed(at: local(2026, 10, 5, 18, 29)))
        #expect(school.expectedArmed(at: local(2026, 10, 5, 18, 30)))
        #expect(school.armDeadline(after: local(2026, 10, 5, 18)) == local(2026, 10, 5, 18, 30))
        // Thursday: no arm-by, 15 minutes' grace.
        #expect(school.armDeadline(after: local(2026, 10, 8, 12)) == local(2026, 10, 8, 17, 15))
        #expect(!school.expectedArmed(at: local(2026, 10, 8, 17, 14)))
        #expect(school.expectedArmed(at: local(2026, 10, 8, 17, 15)))
        // Tuesday: closes at 17, grace to 17:15, re-opens for the letting, closes 21:00.
        #expect(school.armDeadline(after: local(2026, 10, 6, 17, 20)) == local(2026, 10, 6, 21, 15))
        #expect(school.expectedArmed(at: local(2026, 10, 6, 17, 30)))
        #expect(!school.expectedArmed(at: local(2026, 10, 6, 21, 10)))
        #expect(school.expectedArmed(at: local(2026, 10, 6, 21, 15)))
        // At night, after the deadline, the next deadline is the next evening's.
        #expect(school.armDeadline(after: local(2026, 10, 8, 23)) == local(2026, 10, 9, 16, 15))
    }

    @Test func armByDoesNotStretchToAnUnrelatedClosing() {
        // Closing at 02:00 on a Monday night; Monday's arm-by 18:30 is 16 h later: ignored.
        let night = SiteSchedule(openingHours: [7: [range("22:00-02:00")]], armBy: [1: LocalTime(hour: 18, minute: 30)])
        #expect(night.armDeadline(forClosingAt: local(2026, 10, 12, 2)) == local(2026, 10, 12, 2, 15))
    }

    @Test func nightWindowLastsSevenHoursInOctoberAndFiveInMarch() throws {
        let nights = SiteSchedule(openingHours: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [range("23:00-05:00")]) }))
        let octOpen = local(2026, 10, 24, 23)
        let octClose = try #require(nights.nextChange(after: octOpen))
        #expect(octClose - octOpen == .hours(7))
        #expect(octClose == utc(2026, 10, 25, 4))
        #expect(nights.isOpen(at: utc(2026, 10, 25, 0, 30)))  // 02:30 CEST
        #expect(nights.isOpen(at: utc(2026, 10, 25, 1, 30)))  // 02:30 CET
        let marOpen = local(2026, 3, 28, 23)
        let marClose = try #require(nights.nextChange(after: marOpen))
        #expect(marClose - marOpen == .hours(5))
        #expect(marClose == utc(2026, 3, 29, 3))
    }

    /// Walks `nextChange` through a fortnight around each change: every boundary comes once,
    /// at the expected local time, alternating open and closed.
    @Test(arguments: [date(2026, 3, 22), date(2026, 10, 18)])
    func changesNeitherSkipNorDoubleFireAcrossDST(first: LocalDate) {
        let schedule = SiteSchedule(openingHours: Dictionary(uniqueKeysWithValues: (1...7).map {
            ($0, [range("07:00-18:00"), range("23:00-05:00"), range("02:30-02:45")])
        }))
        var changes: [Timestamp] = []
        var cursor = StockholmTime.resolve(first, LocalTime(hour: 6))
        let stop = StockholmTime.resolve(first.adding(days: 14), LocalTime(hour: 6))
        while let next = schedule.nextChange(after: cursor), next < stop {
            changes.append(next)
            cursor = next
        }
        // 07, 18, 23, 05 every day; 02:30–02:45 is inside 23–05 so never a change.
        #expect(changes.count == 14 * 4)
        for (index, change) in changes.enumerated() {
            #expect(schedule.isOpen(at: change) == (index % 2 == 0))
            let time = StockholmTime.local(change).time
            #expect([LocalTime(hour: 7), LocalTime(hour: 18), LocalTime(hour: 23), LocalTime(hour: 5)][index % 4] == time)
        }
    }

    @Test func rangesInTheSpringGapAndAutumnOverlap() throws {
        let early = SiteSchedule(openingHours: [7: [range("02:30-04:00")]])
        // 29 March 2026: 02:30 does not exist, so the range opens at 03:00 CEST and lasts 1 h.
        let open = try #require(early.nextChange(after: local(2026, 3, 28, 12)))
        #expect(open == utc(2026, 3, 29, 1))
        #expect(early.nextChange(after: open) == utc(2026, 3, 29, 2))
        // 25 October 2026: 02:30 comes twice; the range opens at the first and runs 2.5 h.
        let octOpen = try #require(early.nextChange(after: local(2026, 10, 24, 12)))
        #expect(octOpen == utc(2026, 10, 25, 0, 30))
        #expect(early.nextChange(after: octOpen) == utc(2026, 10, 25, 3))
    }

    @Test func parsesTimesAndRanges() {
        #expect(LocalTime(parsing: "07:05") == LocalTime(hour: 7, minute: 5))
        #expect(LocalTime(parsing: "7:05") == LocalTime(hour: 7, minute: 5))
        #expect(LocalTime(parsing: "24:00") == LocalTime(hour: 24))
        for bad in ["25:00", "24:01", "12:60", "12", "12:5", "ab:cd", "-1:00", "12:00:00", ""] {
            #expect(LocalTime(parsing: bad) == nil, "\(bad)")
        }
        #expect(LocalTimeRange(parsing: "23:00-05:00")?.crossesMidnight == true)
        #expect(LocalTimeRange(parsing: "23:00 - 05:00")?.nominalMinutes == 360)
        #expect(LocalTimeRange(parsing: "00:00-24:00") == .wholeDay)
        #expect(LocalTimeRange(parsing: "24:00-05:00") == nil)
        #expect(LocalTimeRange(parsing: "07:00") == nil)
    }
}
