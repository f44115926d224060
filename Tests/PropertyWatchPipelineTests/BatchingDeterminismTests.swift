import Foundation
import GRDB
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

/// Outputs depend on the ordered inputs alone: one hour of inputs, stepped on the virtual clock
/// as the scenario runner steps it, fed to a real pipeline and journal in batches of 1, 7, 64
/// and as one batch, gives byte-identical outbox rows (keys, times, payloads, order).
@Suite struct BatchingDeterminismTests {
    /// A publisher that keeps nothing: what is compared is the outbox in the journal.
    struct Sink: OutboundPublisher {
        func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?) {}
        func takeConfirmations() -> [Int64] { [] }
        var queuedReliable: Int { 0 }
    }

    typealias Message = (topic: String, payload: [UInt8])

    static let start = StockholmTime.resolve(LocalDate(year: 2026, month: 11, day: 26), LocalTime(hour: 22))

    /// Per 10-second step at t: a clock message at t, the messages due at t, a clock message at
    /// t + 1 ms. Two detectors in one millisecond (new, raised and dispatched at once), an
    /// accept and en-route in one millisecond, arrival and clearing; then a fire nobody
    /// answers (timeouts fired by clock messages, escalation). Replies name the incidents a
    /// `Watch` fed the same alarms opened, so the stream does not hard-code incident ids.
    static let stream: [Message] = {
        var oracle = Watch(directory: SiteDirectory(PipelineFixture.configuration))
        var messages: [Message] = []
        var requests: [GuardRequest] = []
        func clock(_ t: Timestamp) -> Message {
            (Topic.simulatedClock, Array(#"{"v":1,"time":\#(t.millisecondsSinceEpoch)}"#.utf8))
        }
        func alarm(_ device: String, _ cls: String, seq: Int, _ t: Timestamp) -> Message {
            (Topic.alarm(site: "broskolan", device: DeviceID(device)), Array(
                #"{"v":1,"site":"broskolan","device":"\#(device)","class":"\#(cls)","seq":\#(seq),"id":"\#(device)-\#(seq)","time":\#(t.millisecondsSinceEpoch)}"#.utf8))
        }
        func reply(_ kind: String, _ t: Timestamp) -> Message {
            let r = requests.last!
            return (Topic.replies(unit: r.unit), Array(
                #"{"v":1,"unit":"\#(r.unit)","incident":"\#(r.incident)","request":"\#(r.requestID)","kind":"\#(kind)","outcome":"false-alarm","time":\#(t.millisecondsSinceEpoch)}"#.utf8))
        }
        for step in 0..<360 {
            let t = start + .seconds(Int64(step * 10))
            var due: [Message] = []
            switch step {
            case 0: due = [alarm("pir-a", "intrusion", seq: 1, t), alarm("pir-b", "intrusion", seq: 1, t)]
            case 3: due = [reply("accepted", t), reply("en-route", t)]
            case 30: due = [reply("arrived", t)]
            case 120: due = [reply("cleared", t)]
            case 150: due = [alarm("smoke-a", "fire", seq: 1, t)]
            default: break
            }
            messages.append(clock(t))
            _ = oracle.tick(now: t)
            for m in due {
                messages.append(m)
                let decoded = m.payload.withUnsafeBytes {
                    MessageDecoder(directory: oracle.directory, limits: PipelineFixture.configuration.decoding)
                        .decode(topic: m.topic, payload: $0, receivedAt: t)
                }
                guard case .message(let message) = decoded else { fatalError("\(m.topic) did not decode: \(decoded)") }
                requests += oracle.handle(message, now: t).compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
            }
            messages.append(clock(t + Milliseconds(1)))
        }
        return messages
    }()

    struct OutboxRow: Equatable {
        var key: String
        var createdAt: Int64
        var kind: String
        var topic: String
        var payload: [UInt8]
    }

    /// Runs the stream through a fresh pipeline in batches of `size`; returns its outbox.
    static func outbox(batchSize size: Int) throws -> [OutboxRow] {
        let directory = TestEnvironment.temporaryDirectory("batching")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try Journal(path: directory.appendingPathComponent("j.sqlite").path, synchronousFull: false)
        let inbox = try MQTTInbox.make(batchCount: 2, messages: stream.count + 1, bytes: 4 << 20)
        let pipeline = Pipeline(
            configuration: PipelineFixture.configuration, journal: journal, inbox: inbox, publisher: Sink(),
            clock: VirtualClock(), logger: Logger(label: "test.batching"))
        _ = try pipeline.recover()
        for from in stride(from: 0, to: stream.count, by: size) {
            let batch = try #require(inbox.takeFree())
            for m in stream[from..<min(from + size, stream.count)] { batch.append(topic: m.topic, payload: m.payload) }
            inbox.publish(batch)
            #expect(try pipeline.step(waitMilliseconds: 0))
        }
        return try journal.read { db in
            try Row.fetchAll(db, sql: "SELECT key, created_at, kind, topic, payload FROM outbox ORDER BY id").map {
                OutboxRow(key: $0[0], createdAt: $0[1], kind: $0[2], topic: $0[3], payload: [UInt8]($0[4] as Data))
            }
        }
    }

    @Test func theOneByOneRunHasSameMillisecondTransitionsAllNumbered() throws {
        let rows = try Self.outbox(batchSize: 1)
        let transitions = rows.filter { $0.kind == "transition" }
        let payloads = transitions.map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(transitions.count >= 10)
        #expect(payloads.contains { $0.contains(#""to":"escalated""#) })
        #expect(payloads.contains { $0.contains("en route") })
        // Each incident's rows are numbered 1, 2, 3, … in order, and the key is that number.
        var next: [String: Int] = [:]
        for row in transitions {
            let parts = row.key.split(separator: ":")
            let incident = String(parts[1])
            let n = try #require(Int(parts[2]))
            #expect(n == next[incident, default: 1], "\(row.key)")
            next[incident] = n + 1
            #expect(String(decoding: row.payload, as: UTF8.self).contains(#""seq":\#(n),"#))
        }
        // At least one incident moved twice within one millisecond.
        let times = transitions.map { row -> String in
            let text = String(decoding: row.payload, as: UTF8.self)
            let incident = row.key.split(separator: ":")[1]
            return "\(incident)@" + String(text[text.range(of: #""time":"#)!.upperBound...].prefix(13))
        }
        #expect(Set(times).count < times.count)
        #expect(rows.contains { $0.kind == "warning" && String(decoding: $0.payload, as: UTF8.self).contains("ack-timeout") })
    }

    @Test(arguments: [7, 64, Int.max])
    func batchingDoesNotChangeTheOutbox(size: Int) throws {
        let expected = try Self.outbox(batchSize: 1)
        let actual = try Self.outbox(batchSize: min(size, Self.stream.count))
        #expect(actual.count == expected.count)
        #expect(actual == expected)
        for (a, e) in zip(actual, expected) where a != e {
            Issue.record("first difference: \(a.key) at \(a.createdAt) vs \(e.key) at \(e.createdAt)")
            break
        }
    }
}
