import PropertyWatchCore
import PropertyWatchReport
import Testing

/// The dashboard's board from the same records: queue order, what leaves it, timers.
@Suite struct BoardTests {
    let configuration: WatchConfiguration
    init() throws { configuration = try ScenarioNight.configuration }

    func open(_ id: String, _ site: String, _ state: String, _ priority: String, at time: String) -> Board.OpenIncident {
        Board.OpenIncident(id: id, site: site, state: state, priority: priority, openedAt: ScenarioNight.at(time), updatedAt: ScenarioNight.at(time), lastCause: "x")
    }

    @Test func queueIsByPriorityThenAgeAndLeavesOutCleared() {
        let board = Board.make(
            open: [
                open("a", "brohuset", "new", "unverified-intrusion", at: "01:00"),
                open("b", "broskolan", "dispatched", "fire", at: "01:05"),
                open("c", "tibbleskolan", "new", "unverified-intrusion", at: "00:30"),
                open("d", "hagaskolan", "cleared", "fire", at: "00:10"),
            ],
            records: NightRecords(), configuration: configuration, now: ScenarioNight.at("01:10"))
        #expect(board.incidents.map(\.id) == ["b", "c", "a"])
        #expect(board.incidents.first?.siteName == "Broskolan")
        #expect(board.sites.first { $0.id == "broskolan" }?.openIncidents == 1)
        #expect(board.sites.first { $0.id == "hagaskolan" }?.openIncidents == 0)
    }

    @Test func ackDeadlineAndOperatorAcknowledgement() {
        var records = ScenarioNight.records
        records.transitions.removeAll { $0.to == "acknowledged" || $0.to == "on-site" || $0.to == "cleared" }
        let board = Board.make(
            open: [open("inc-broskolan-1", "broskolan", "dispatched", "verified-intrusion", at: "01:11:30")],
            records: records, configuration: configuration, now: ScenarioNight.at("01:12:30"))
        let row = board.incidents.first
        #expect(row?.ackDeadline == ScenarioNight.at("01:13:30"))  // verified intrusion: 120 s
        #expect(row?.acknowledgedBy == "anna")
        #expect(row?.verification == "sequential")
        #expect(row?.triggers.count == 2)
    }

    @Test func supervisionFaultsUntilRestored() {
        var records = ScenarioNight.records
        let during = Board.make(open: [], records: records, configuration: configuration, now: ScenarioNight.at("23:30"))
        #expect(during.sites.first { $0.id == "raby-forskola" }?.supervisionFaults.isEmpty == false)
        records.warnings.removeAll { $0.code == "device-offline" }
        let after = Board.make(open: [], records: records, configuration: configuration, now: ScenarioNight.at("23:59"))
        #expect(after.sites.first { $0.id == "raby-forskola" }?.supervisionFaults.isEmpty == true)
    }

    /// The map shows the partitions the panel last reported unset (the let sports hall), and a
    /// site as set once every partition is; a site whose panel never reported is left to the calendar.
    @Test func partitionArmStateFromOpeningsAndClosings() throws {
        var records = NightRecords()
        records.armChanges = [
            .init(site: "broskolan", partition: nil, set: true, user: "vaktmastare", time: ScenarioNight.at("18:00")),
            .init(site: "broskolan", partition: "idrottshall", set: false, user: "ibk-bro", time: ScenarioNight.at("18:05")),
        ]
        let during = Board.make(open: [], records: records, configuration: configuration, now: ScenarioNight.at("19:00"))
        let site = try #require(during.sites.first { $0.id == "broskolan" })
        #expect(site.armed == false)
        #expect(site.unsetPartitions == ["Idrottshallen (ibk-bro)"])
        #expect(during.sites.first { $0.id == "harneviskolan" }?.armed == nil)
        records.armChanges.append(.init(site: "broskolan", partition: "idrottshall", set: true, user: "ibk-bro", time: ScenarioNight.at("21:05")))
        let after = Board.make(open: [], records: records, configuration: configuration, now: ScenarioNight.at("21:10"))
        #expect(after.sites.first { $0.id == "broskolan" }?.armed == true)
    }

    @Test func unitsShowLastPositionAndStatus() {
        let board = Board.make(open: [], records: ScenarioNight.records, configuration: configuration, now: ScenarioNight.at("01:30"))
        let p1 = board.units.first { $0.id == "P1" }
        #expect(p1?.latitude == 59.51)
        #expect(p1?.status == "available")
    }

    @Test(arguments: [("01:00", "01:00"), ("07:00", "07:00")])
    func reportScheduleFiresOncePerMorning(start: String, _: String) {
        var schedule = ReportSchedule.starting(at: Timestamp(millisecondsSinceEpoch: ScenarioNight.at(start)), reportAt: LocalTime(hour: 7))
        let beforeSeven = Timestamp(millisecondsSinceEpoch: ScenarioNight.at("06:59"))
        let afterSeven = Timestamp(millisecondsSinceEpoch: ScenarioNight.at("07:00"))
        #expect(schedule.due(now: beforeSeven) == nil)
        if start == "01:00" {
            #expect(schedule.due(now: afterSeven) == ScenarioNight.night)
        }
        #expect(schedule.due(now: afterSeven) == nil)
    }
}
