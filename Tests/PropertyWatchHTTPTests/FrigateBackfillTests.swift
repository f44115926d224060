import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import PropertyWatchHTTP
import PropertyWatchCore
import Synchronization
import Testing

/// A small Frigate: `GET /api/events` over the events it holds, with Frigate's documented
/// filters (`after` < start_time < `before`, newest first, `limit`), answering what its
/// `answer` says. Every request's query is logged.
final class FakeFrigate: Sendable {
    enum Answer: Sendable {
        case events
        /// This status (e.g. 503) for the next `count` requests, then events.
        case failing(status: Int, count: Int)
        /// This body, verbatim, with status 200.
        case raw(String)
    }

    let events = Mutex<[(start: Double, json: String)]>([])
    let queries = Mutex<[String]>([])
    let answer = Mutex<Answer>(.events)

    /// One event as `GET /api/events` returns it (Frigate's `EventResponse`).
    static func event(id: String, camera: String, start: Double, end: Double?, zones: [String], label: String = "person", score: Double = 0.9) -> String {
        let zoneList = zones.map { "\"\($0)\"" }.joined(separator: ",")
        return """
            {"id":"\(id)","label":"\(label)","sub_label":null,"camera":"\(camera)","start_time":\(start),"end_time":\(end.map { "\($0)" } ?? "null"),\
            "false_positive":false,"zones":[\(zoneList)],"thumbnail":null,"has_clip":true,"has_snapshot":true,"retain_indefinitely":false,\
            "plus_id":null,"model_hash":"d1f2","detector_type":"cpu","model_type":"ssd",\
            "data":{"box":[0.4,0.3,0.1,0.2],"region":[0.2,0.1,0.5,0.5],"score":\(score),"top_score":\(score),"attributes":[],"type":"object"}}
            """
    }

    func add(id: String, camera: String, start: Double, end: Double?, zones: [String]) {
        let json = Self.event(id: id, camera: camera, start: start, end: end, zones: zones)
        events.withLock { $0.append((start, json)) }
    }

    var application: some ApplicationProtocol {
        let router = Router()
        router.get("/api/events") { request, _ -> Response in
            self.queries.withLock { $0.append(request.uri.query ?? "") }
            let answer = self.answer.withLock { answer -> Answer in
                if case .failing(let status, let count) = answer {
                    answer = count > 1 ? .failing(status: status, count: count - 1) : .events
                    return .failing(status: status, count: count)
                }
                return answer
            }
            let params = request.uri.queryParameters
            switch answer {
            case .failing(let status, _):
                return Response(status: .init(code: status))
            case .raw(let body):
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
            case .events:
                let after = params.get("after", as: Double.self) ?? 0
                let before = params.get("before", as: Double.self) ?? .infinity
                let limit = params.get("limit", as: Int.self) ?? 100
                let page = self.events.withLock { $0 }
                    .filter { $0.start > after && $0.start < before }
                    .sorted { $0.start > $1.start }
                    .prefix(limit)
                let body = "[" + page.map(\.json).joined(separator: ",") + "]"
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

/// What the backfill handed to the pipeline.
final class SubmittedInputs: Sendable {
    let inputs = Mutex<[(topic: String, payload: [UInt8])]>([])
    func record(_ topic: String, _ payload: [UInt8]) { inputs.withLock { $0.append((topic, payload)) } }
    var payloads: [[UInt8]] { inputs.withLock { $0.map(\.payload) } }
}

/// The backfill against a real local HTTP server speaking Frigate's `/api/events`.
@Suite struct FrigateBackfillTests {
    static let configuration = WatchConfiguration(
        sites: [SiteConfiguration(
            id: "broskolan", name: "Broskolan", kind: .school, address: "Skolvägen 1",
            location: Coordinate(latitude: 59.5, longitude: 17.6),
            zones: [ZoneConfiguration(id: "a", name: "A-huset")],
            devices: [DeviceConfiguration(id: "cam-a", kind: .camera, cameraZones: ["a"])])],
        frigate: FrigateMapping(cameras: ["bro_a": .init(site: "broskolan", device: "cam-a")], snapshotBaseURL: "http://frigate.test"))
    static let decoder = MessageDecoder(directory: SiteDirectory(configuration), limits: DecodingLimits())
    /// 2026-12-04 20:00 UTC.
    static let gapStart = Timestamp(millisecondsSinceEpoch: 1_796_414_400_000)
    static let gapEnd = gapStart + .minutes(10)

    static func backfill(_ port: Int, _ submitted: SubmittedInputs, pageSize: Int = 100, attempts: Int = 3, timeout: TimeAmount = .seconds(5)) -> FrigateBackfill {
        FrigateBackfill(
            baseURL: "http://127.0.0.1:\(port)",
            options: .init(pageSize: pageSize, maxPages: 10, timeout: timeout, attempts: attempts, margin: .seconds(0), backoff: .milliseconds(10)),
            submit: { submitted.record($0, $1) }, logger: Logger(label: "test.backfill"))
    }

    static func decode(_ payload: [UInt8]) -> DecodeResult {
        payload.withUnsafeBytes { decoder.decode(topic: Topic.frigateBackfill, payload: $0, receivedAt: gapEnd + .minutes(1)) }
    }

    @Test func pagesThroughAGapAndSubmitsItOldestFirst() async throws {
        let frigate = FakeFrigate()
        let start = Double(Self.gapStart.millisecondsSinceEpoch) / 1000
        for i in 0..<250 { frigate.add(id: "e\(i)", camera: "bro_a", start: start + Double(i) * 2, end: start + Double(i) * 2 + 1, zones: ["a"]) }
        frigate.add(id: "before-gap", camera: "bro_a", start: start - 60, end: nil, zones: [])
        frigate.add(id: "after-gap", camera: "bro_a", start: start + 3600, end: nil, zones: [])
        let submitted = SubmittedInputs()
        try await frigate.application.test(.live) { client in
            let port = try #require(client.port)
            let backfill = Self.backfill(port, submitted)
            await backfill.fetch(from: Self.gapStart, until: Self.gapEnd)
            #expect(backfill.counts == FrigateBackfill.Counts(gaps: 1, failedGaps: 0, events: 250, failedRequests: 0, malformed: 0))
        }
        let triggers = submitted.payloads.compactMap { Self.decode($0).camera }
        #expect(triggers.count == 250)
        #expect(triggers.map(\.eventID) == (0..<250).map { "e\($0)" })
        #expect(triggers.allSatisfy { $0.backfilled && $0.zones == ["a"] && $0.snapshot == "http://frigate.test/api/events/\($0.eventID)/snapshot.jpg" })
        let queries = frigate.queries.withLock { $0 }
        #expect(queries.count == 3)
        #expect(queries.allSatisfy { $0.contains("limit=100") && $0.hasPrefix("after=1796414399.999&") })
        #expect(queries.first?.contains("before=1796415000.001") == true)
    }

    @Test func retriesAFailingFrigateWithBackOff() async throws {
        let frigate = FakeFrigate()
        frigate.add(id: "e1", camera: "bro_a", start: Double(Self.gapStart.millisecondsSinceEpoch) / 1000 + 5, end: nil, zones: ["a"])
        frigate.answer.withLock { $0 = .failing(status: 503, count: 2) }
        let submitted = SubmittedInputs()
        try await frigate.application.test(.live) { client in
            let backfill = Self.backfill(try #require(client.port), submitted)
            await backfill.fetch(from: Self.gapStart, until: Self.gapEnd)
            #expect(backfill.counts.failedRequests == 2)
            #expect(backfill.counts.gaps == 1)
        }
        #expect(submitted.payloads.compactMap { Self.decode($0).camera?.eventID } == ["e1"])
    }

    @Test func anUnreachableFrigateIsAFailedGapNotACrash() async throws {
        let submitted = SubmittedInputs()
        let backfill = Self.backfill(1, submitted, attempts: 2, timeout: .seconds(1))  // nothing listens on port 1
        await backfill.fetch(from: Self.gapStart, until: Self.gapEnd)
        #expect(backfill.counts == FrigateBackfill.Counts(gaps: 0, failedGaps: 1, events: 0, failedRequests: 2, malformed: 0))
        #expect(submitted.payloads.isEmpty)
    }

    @Test(arguments: ["{\"not\":\"an array\"}", "<html>Bad gateway</html>", "[{\"id\":1,", ""])
    func aHostileAnswerIsCountedAndDeadLettered(body: String) async throws {
        let frigate = FakeFrigate()
        frigate.answer.withLock { $0 = .raw(body) }
        let submitted = SubmittedInputs()
        try await frigate.application.test(.live) { client in
            let backfill = Self.backfill(try #require(client.port), submitted)
            await backfill.fetch(from: Self.gapStart, until: Self.gapEnd)
            #expect(backfill.counts.malformed == 1)
            #expect(backfill.counts.events == 0)
        }
        // Handed on as it came, for the decoder to refuse: the pipeline makes it a dead letter.
        #expect(submitted.payloads == [Array(body.utf8)])
        #expect(submitted.payloads.allSatisfy { Self.decode($0).rejection != nil })
    }

    @Test func hostileElementsAreRefusedOneByOne() async throws {
        let frigate = FakeFrigate()
        let good = FakeFrigate.event(id: "ok-1", camera: "bro_a", start: Double(Self.gapStart.millisecondsSinceEpoch) / 1000 + 1, end: nil, zones: ["a"])
        frigate.answer.withLock { $0 = .raw("[1, \"x\", {\"id\":\"no-start\"}, {\"id\":\"e\",\"start_time\":1796414401,\"camera\":\"elsewhere\"}, \(good)]") }
        let submitted = SubmittedInputs()
        try await frigate.application.test(.live) { client in
            let backfill = Self.backfill(try #require(client.port), submitted)
            await backfill.fetch(from: Self.gapStart, until: Self.gapEnd)
            #expect(backfill.counts.malformed == 3)
        }
        let results = submitted.payloads.map(Self.decode)
        #expect(results.count == 5)
        #expect(results.compactMap(\.camera).map(\.eventID) == ["ok-1"])
        #expect(results.filter { if case .rejected = $0 { true } else { false } }.count == 4)
    }
}

extension DecodeResult {
    var camera: CameraTrigger? {
        if case .message(.camera(let c)) = self { return c }
        return nil
    }

    var rejection: Rejection? {
        if case .rejected(let r) = self { return r }
        return nil
    }
}
