import Foundation
import GRDB
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport

extension Journal {
    /// Purges (the daemon's one pruning path, `purge`) with an event retention that makes
    /// `cutoff` the events' cut-off; returns how many raw inputs were removed.
    func purgeInputs(receivedBefore cutoff: Int64, limit: Int = 10_000) throws -> Int {
        let day: Int64 = 86_400_000
        let (records, _) = try purge(now: cutoff + day, retention: JournalRetention(eventDays: 1), limit: limit)
        return records.first { $0.what == "events" }?.count ?? 0
    }
}

/// A small site and two always-on-duty units, and helpers to make payloads.
enum PipelineFixture {
    static let configuration: WatchConfiguration = {
        let school = SiteConfiguration(
            id: "broskolan", name: "Broskolan", kind: .school, address: "Skolvägen 1, Bro",
            location: Coordinate(latitude: 59.512, longitude: 17.632),
            zones: [ZoneConfiguration(id: "a", name: "A-huset"), ZoneConfiguration(id: "b", name: "B-huset")],
            devices: [
                DeviceConfiguration(id: "pir-a", kind: .pir, zone: "a"),
                DeviceConfiguration(id: "pir-b", kind: .pir, zone: "b"),
                DeviceConfiguration(id: "smoke-a", kind: .smoke, zone: "a"),
            ])
        let always = ShiftConfiguration(id: "always", units: ["P1", "P2"], weekdays: Set(1...7), start: LocalTime(hour: 12), end: LocalTime(hour: 12))
        return WatchConfiguration(
            sites: [school],
            patrol: PatrolConfiguration(
                units: [UnitConfiguration(id: "P1", callSign: "Väktare 31"), UnitConfiguration(id: "P2", callSign: "Väktare 32")],
                shifts: [always]))
    }()

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func alarm(_ device: String, seq: Int, cls: String = "fire", zone: String = "a", site: String = "broskolan") -> (topic: String, payload: String) {
        ("propertywatch/v1/sites/\(site)/alarms/\(device)",
         #"{"v":1,"site":"\#(site)","device":"\#(device)","zone":"\#(zone)","class":"\#(cls)","seq":\#(seq),"id":"\#(device)-\#(seq)","time":\#(nowMilliseconds)}"#)
    }
}

/// An in-process pipeline with its own MQTT client against a real broker and a real journal.
final class PipelineHarness: @unchecked Sendable {
    let client: MQTTClient
    let journal: Journal
    let pipeline: Pipeline
    let recovery: Pipeline.RecoveryReport

    init(
        port: Int32, journalPath: String, clientID: String, batches: Int = 8, messages: Int = 2048,
        batchBytes: Int = 1 << 20, maxInflight: Int = 64, outboxWindow: Int = 4096,
        configuration watch: WatchConfiguration = PipelineFixture.configuration,
        walPreallocationBytes: Int = 8 << 20, growthChunkBytes: Int = 16 << 20,
        clock: any WatchClock = SystemClock(), retention: JournalRetention = JournalRetention()
    ) throws {
        let waiter = ConnectionWaiter()
        var configuration = MQTTConfiguration(
            port: port, clientID: clientID, cleanSession: false, subscriptions: Topic.subscriptions,
            batchCount: batches, batchMessages: messages, batchBytes: batchBytes)
        configuration.maxInflight = maxInflight
        client = try MQTTClient(configuration: configuration, logger: Logger(label: "test.pipeline.mqtt"), onStateChange: waiter.handler)
        journal = try Journal(path: journalPath, walPreallocationBytes: walPreallocationBytes, growthChunkBytes: growthChunkBytes)
        pipeline = Pipeline(
            configuration: watch, journal: journal, inbox: client.inbox,
            publisher: client, clock: clock, logger: Logger(label: "test.pipeline"), retention: retention,
            outboxWindow: outboxWindow)
        recovery = try pipeline.recover()
        client.start()
        guard waiter.wait(for: .subscribed) else { throw TestFailure("pipeline client did not subscribe") }
    }

    /// Runs pipeline steps (each waits for input, at most 100 ms) until `condition` holds.
    @discardableResult
    func process(until condition: (PipelineStatistics.Snapshot) -> Bool, timeout: Double = 15) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !condition(pipeline.statistics.snapshot) {
            guard Date() < deadline else { return false }
            pipeline.step(waitMilliseconds: 100)
        }
        return true
    }

    /// Drains like the daemon does on SIGTERM.
    func shutdown() throws {
        client.pauseReading()
        while pipeline.step(waitMilliseconds: 0) {}
        client.shutdown()
    }

    func count(_ sql: String) throws -> Int {
        try journal.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}
