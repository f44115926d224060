import PropertyWatchReport
import Testing

/// An incident's timeline: inputs, decisions and actions in time order.
@Suite struct IncidentTimelineTests {
    @Test func everyInputAndDecisionInOrder() {
        var records = ScenarioNight.records
        records.inputs = [
            .init(site: "broskolan", device: "pir-korridor-1", text: "alarm intrusion (zone korridor)", time: ScenarioNight.at("01:10")),
            .init(site: "broskolan", device: "pir-korridor-2", text: "alarm intrusion (zone korridor)", time: ScenarioNight.at("01:11:30")),
            .init(site: "broskolan", device: "pir-korridor-1", text: "alarm intrusion (zone korridor)", time: ScenarioNight.at("00:30")),
            .init(site: "brohuset", device: "pir-entre", text: "alarm intrusion (zone entre)", time: ScenarioNight.at("01:10")),
        ]
        let timeline = IncidentTimeline.make(incident: "inc-broskolan-1", site: "broskolan", siteName: "Broskolan", records: records)
        #expect(timeline.entries.map(\.kind) == [
            "input", "input", "state", "state", "guard-request", "acknowledge", "state", "reply", "state", "reply", "state", "reply",
        ])
        #expect(timeline.entries.first?.actor == "pir-korridor-1")
        #expect(timeline.entries.first { $0.kind == "guard-request" }?.text.contains("verification sequential") == true)
        #expect(timeline.entries.first { $0.kind == "acknowledge" }?.actor == "anna")
    }
}
