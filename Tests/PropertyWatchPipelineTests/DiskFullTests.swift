import Foundation
import GRDB
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

/// A full disk on a real small filesystem (a tmpfs the test mounts; needs root, as CI has).
@Suite("Journal on a full disk", .enabled(if: SmallFilesystem.isAvailable, "mounting a tmpfs needs root"))
struct DiskFullTests {
    /// The fixture's school with a door contact that does not use end-to-end acknowledgements:
    /// it publishes each event once at QoS 1 and never retransmits.
    static let configuration: WatchConfiguration = {
        var configuration = PipelineFixture.configuration
        configuration.sites[0].devices.append(DeviceConfiguration(id: "door-a", kind: .door, zone: "a", wantsAcknowledgement: false))
        return configuration
    }()

    /// Whether a warning with `code` arrives within 10 s.
    static func warning(_ code: String, on subscriber: TestSubscriber) -> Bool {
        let deadline = Date(timeIntervalSinceNow: 10)
        while deadline.timeIntervalSinceNow > 0, let message = subscriber.next(timeout: deadline.timeIntervalSinceNow) {
            if message.payload.contains(#""code":"\#(code)""#) { return true }
        }
        return false
    }

    static func doorEvent(seq: Int) -> (topic: String, payload: String) {
        PipelineFixture.alarm("door-a", seq: seq, cls: "open")
    }

    @Test func nothingReceivedIsLostAndNothingIsDuplicatedWhenTheDiskFillsAndFreesAgain() throws {
        let filesystem = try SmallFilesystem(megabytes: 12)
        let broker = try TestBroker(persistent: true)
        let warnings = try TestSubscriber(port: broker.port, filters: [Topic.warnings])
        let harness = try PipelineHarness(
            port: broker.port, journalPath: filesystem.directory.appendingPathComponent("j.sqlite").path,
            clientID: TestEnvironment.uniqueName("pw"), batches: 2, messages: 200,
            configuration: Self.configuration, walPreallocationBytes: 64 << 10, growthChunkBytes: 64 << 10)
        let publisher = try TestPublisher(port: broker.port)

        // Some events go in while there is room.
        let total = 3000
        for seq in 1...100 { #expect(publisher.publish(Self.doorEvent(seq: seq).topic, Self.doorEvent(seq: seq).payload)) }
        #expect(try harness.process { $0.accepted == 100 })

        // The disk fills; the device goes on publishing (the broker acknowledges each one).
        try filesystem.fill()
        for seq in 101...total { #expect(publisher.publish(Self.doorEvent(seq: seq).topic, Self.doorEvent(seq: seq).payload)) }
        #expect(try harness.process { $0.journalFailing })
        // Still failing after retries: nothing more is read (the inbox stays full, so the
        // broker queues), nothing is committed, and the process is still here.
        #expect(try harness.process(until: { $0.journalCommitFailures >= 3 }, timeout: 30))
        let during = harness.pipeline.statistics.snapshot
        #expect(during.journalFailing)
        #expect(during.heldMessages > 0)
        #expect(during.journalError?.isEmpty == false)
        #expect(harness.client.inbox.isStalled)
        let journaledDuring = try harness.count("SELECT COUNT(*) FROM event WHERE device = 'door-a'")
        #expect(journaledDuring < total)
        #expect(Self.warning("journal-failing", on: warnings))

        // Space returns: the pipeline resumes by itself and takes everything, exactly once.
        filesystem.free()
        #expect(try harness.process(until: { !$0.journalFailing && $0.accepted >= total }, timeout: 60))
        let after = harness.pipeline.statistics.snapshot
        #expect(after.heldMessages == 0)
        #expect(after.journalError == nil)
        #expect(after.accepted == total)
        #expect(try harness.count("SELECT COUNT(*) FROM event WHERE device = 'door-a'") == total)
        #expect(try harness.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'door-a'") == total)
        #expect(try harness.count("SELECT MIN(seq) FROM event WHERE device = 'door-a'") == 1)
        #expect(try harness.count("SELECT MAX(seq) FROM event WHERE device = 'door-a'") == total)
        #expect(Self.warning("journal-recovered", on: warnings))
        try harness.shutdown()
    }

    @Test func startingOnANearlyFullDiskSaysSo() throws {
        let filesystem = try SmallFilesystem(megabytes: 4)
        let path = filesystem.directory.appendingPathComponent("j.sqlite").path
        #expect {
            try Journal(path: path)
        } throws: { error in
            guard let error = error as? JournalError, case .insufficientSpace = error else { return false }
            let text = "\(error)"
            return text.contains("full") && text.contains("MiB free") && text.contains(path)
        }
    }
}

@Suite("Journal outage back-off")
struct JournalOutageTests {
    @Test func backOffDoublesUpToItsMaximum() {
        var outage = JournalOutage(since: 0, error: "database or disk is full", now: 0)
        var delays: [UInt64] = [outage.delay]
        for _ in 0..<8 {
            outage.failed(error: "database or disk is full", now: 0)
            delays.append(outage.delay)
        }
        #expect(delays.map { $0 / 1_000_000 } == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000])
        #expect(outage.attempts == 9)
    }

    @Test func aRetryIsDueOnlyAfterTheDelay() {
        let outage = JournalOutage(since: 0, error: "disk I/O error", now: 1_000)
        #expect(!outage.isDue(at: 1_000))
        #expect(outage.isDue(at: 1_000 + JournalOutage.firstDelayNanoseconds))
    }
}
