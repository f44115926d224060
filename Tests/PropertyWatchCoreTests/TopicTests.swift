import Testing
@testable import PropertyWatchCore

@Suite struct TopicTests {
    @Test(arguments: [
        ("propertywatch/v1/sites/brohuset/alarms/panel-1", InboundTopic.alarm(site: "brohuset", device: "panel-1")),
        ("propertywatch/v1/sites/brohuset/cameras/cam-2", .camera(site: "brohuset", camera: "cam-2")),
        ("propertywatch/v1/sites/s/heartbeats/d", .heartbeat(site: "s", device: "d")),
        ("propertywatch/v1/units/P1/position", .position(unit: "P1")),
        ("propertywatch/v1/units/P1/checkin", .checkIn(unit: "P1")),
        ("propertywatch/v1/units/P1/status", .unitStatus(unit: "P1")),
        ("propertywatch/v1/units/P1/replies", .reply(unit: "P1")),
        ("frigate/events", .frigateEvents),
        ("frigate/reviews", .frigateReviews),
        ("frigate/available", .frigateAvailable),
        ("frigate/stats", .frigateStats),
        ("frigate/backfill", .frigateBackfill),
    ])
    func parsesContractTopics(topic: String, expected: InboundTopic) {
        #expect(InboundTopic(parsing: topic) == expected)
    }

    @Test(arguments: [
        "propertywatch/v2/sites/brohuset/alarms/panel-1",
        "propertywatch/v1/sites/brohuset/acks/panel-1",
        "propertywatch/v1/sites//alarms/panel-1",
        "propertywatch/v1/sites/brohuset/alarms/panel-1/extra",
        "propertywatch/v1/units/P1/requests",
        "frigate/other",
        "",
    ])
    func refusesOtherTopics(topic: String) {
        #expect(InboundTopic(parsing: topic) == nil)
    }

    @Test func outboundTopicsAreNotInbound() {
        #expect(InboundTopic(parsing: Topic.guardRequests(unit: "P1")) == nil)
        #expect(InboundTopic(parsing: Topic.acknowledgement(site: "s", device: "d")) == nil)
        #expect(InboundTopic(parsing: Topic.daemonStatus) == nil)
    }
}
