import Foundation
import PropertyWatchCore
import PropertyWatchReport
import Testing

/// The nightly report of one scenario night, checked against files in `Golden/`.
/// `PROPERTYWATCH_UPDATE_GOLDEN=1` rewrites them (then review the diff).
@Suite struct NightReportGoldenTests {
    let report: NightReport
    let configuration: WatchConfiguration

    init() throws {
        configuration = try ScenarioNight.configuration
        report = NightReport.make(
            records: ScenarioNight.records, configuration: configuration, night: ScenarioNight.night,
            asOf: ScenarioNight.night.end.millisecondsSinceEpoch)
    }

    func compare(_ text: String, golden name: String) throws {
        let url = TestPaths.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["PROPERTYWATCH_UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(at: TestPaths.golden, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "differs from \(name); PROPERTYWATCH_UPDATE_GOLDEN=1 rewrites it")
    }

    @Test func jsonMatchesTheGoldenFile() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try compare(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n", golden: "night-2026-11-26.json")
    }

    @Test func textMatchesTheGoldenFile() throws {
        try compare(report.text(), golden: "night-2026-11-26.txt")
    }

    @Test func csvMatchesTheGoldenFile() throws {
        try compare(report.csv(), golden: "night-2026-11-26.csv")
    }

    @Test func responseTimesAndCounts() {
        let broskolan = report.incidents.first { $0.id == "inc-broskolan-1" }
        #expect(broskolan?.dispatchMs == 0)
        #expect(broskolan?.responseMs == Int64(12 * 60_000 + 30_000))
        #expect(broskolan?.units == ["P2"])
        #expect(report.counts.incidents == 2)
        #expect(report.counts.closedWithoutDispatch == 1)
        #expect(report.counts.operatorActions == 5)
        #expect(report.dispatches.map(\.answer) == ["accepted"])
    }

    @Test func visitsAreOnTimeLateOrMissed() {
        let status = Dictionary(report.visits.filter { $0.route == "p1-bro-evening" }.map { ($0.site, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(status == ["brohuset": "on-time", "broskolan": "on-time", "finnstaskolan": "late", "harneviskolan": "missed", "raby-forskola": "missed"])
        #expect(report.directedChecks.first?.visitedAt == ScenarioNight.at("00:50"))
    }

    @Test func stopsMissedBecauseTheUnitWasSentAwayAreReplanned() throws {
        var records = ScenarioNight.records
        records.guardRequests.append(.init(
            incident: "inc-x", unit: "P1", site: "tibbleskolan", priority: "fire", verification: "none", triggers: [],
            attempt: 1, time: ScenarioNight.at("01:20")))
        let report = NightReport.make(records: records, configuration: configuration, night: ScenarioNight.night, asOf: ScenarioNight.night.end.millisecondsSinceEpoch)
        let status = Dictionary(report.visits.filter { $0.unit == "P1" }.map { ($0.site, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(status["hagaskolan"] == "re-planned")
        #expect(status["ekhammarskolan"] == "re-planned")
        #expect(status["gransaterskolan"] == "missed")
    }

    @Test func outagesPairOfflineWithRestored() {
        #expect(report.supervisionOutages.count == 1)
        #expect(report.supervisionOutages.first?.to == ScenarioNight.at("23:55"))
    }

    @Test func htmlIsSelfContainedWithTimelineAndMap() {
        let html = report.html(configuration: configuration)
        #expect(html.contains("<svg"))
        #expect(html.components(separatedBy: "<svg").count == 3)
        #expect(html.contains("Broskolan"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    @Test func nightIsNoonToNoonInStockholm() {
        #expect(LocalFormat.dateTime(ScenarioNight.night.start.millisecondsSinceEpoch) == "2026-11-26 12:00:00")
        #expect(LocalFormat.dateTime(ScenarioNight.night.end.millisecondsSinceEpoch) == "2026-11-27 12:00:00")
    }
}
