import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PropertyWatchCore
import ServiceLifecycle
import Synchronization

/// Fetches the events Frigate saw while we could not hear it (Frigate's link to the broker
/// was down, or ours), from Frigate's `GET /api/events?after=…&before=…&limit=…`, and hands
/// each one to the pipeline as a `frigate/backfill` input: journaled and decoded like any
/// message, so a replay sees exactly what the core saw. The core recognises events it has
/// already seen by their Frigate id, and never dispatches a fetched event as if it were live.
///
/// Bounded: pages of `pageSize` (newest first, as Frigate sorts them), at most `maxPages` per
/// gap, a timeout per request and `attempts` tries with doubling back-off. An answer that is
/// not a JSON array is logged, counted and dead-lettered (through the pipeline); so is each
/// element that does not decode. Nothing here can crash the daemon.
public struct FrigateBackfill: Service {
    /// How much to fetch and how hard to try.
    public struct Options: Sendable {
        public var pageSize: Int
        public var maxPages: Int
        public var timeout: TimeAmount
        public var attempts: Int
        /// Each gap is widened by this much on both sides.
        public var margin: Milliseconds
        /// The first back-off; it doubles per attempt.
        public var backoff: Duration
        /// Answers larger than this are refused.
        public var maxBodyBytes: Int

        public init(
            pageSize: Int = 100, maxPages: Int = 20, timeout: TimeAmount = .seconds(10), attempts: Int = 4,
            margin: Milliseconds = .seconds(5), backoff: Duration = .seconds(1), maxBodyBytes: Int = 8 << 20
        ) {
            self.pageSize = max(1, pageSize)
            self.maxPages = max(1, maxPages)
            self.timeout = timeout
            self.attempts = max(1, attempts)
            self.margin = margin
            self.backoff = backoff
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// What the backfill has done since start, for `/metrics`, logs and tests.
    public struct Counts: Sendable, Equatable {
        /// Gaps fetched completely.
        public var gaps = 0
        /// Gaps given up on (every attempt of a page failed).
        public var failedGaps = 0
        /// Events handed to the pipeline.
        public var events = 0
        /// Requests that failed (network, timeout, status other than 200), retried or not.
        public var failedRequests = 0
        /// Answers or elements that were not Frigate events (dead-lettered).
        public var malformed = 0
    }

    private let baseURL: String
    private let options: Options
    private let httpClient: HTTPClient
    private let submit: @Sendable (_ topic: String, _ payload: [UInt8]) -> Void
    private let logger: Logger
    private let stream: AsyncStream<(Timestamp, Timestamp)>
    private let continuation: AsyncStream<(Timestamp, Timestamp)>.Continuation
    private let state = Counter()

    /// The counts, shared by the copies of this value.
    private final class Counter: Sendable {
        private let counts = Mutex(Counts())
        @discardableResult
        func withLock<T>(_ body: (inout Counts) -> T) -> T { counts.withLock { body(&$0) } }
    }

    /// - Parameters:
    ///   - baseURL: Frigate's address (`frigate.url`), without a trailing `/`.
    ///   - submit: where fetched events go; `pipeline.submit(topic:payload:)` in the daemon.
    public init(
        baseURL: String, options: Options = Options(), httpClient: HTTPClient = .shared,
        submit: @escaping @Sendable (_ topic: String, _ payload: [UInt8]) -> Void, logger: Logger
    ) {
        self.baseURL = baseURL
        self.options = options
        self.httpClient = httpClient
        self.submit = submit
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: (Timestamp, Timestamp).self, bufferingPolicy: .bufferingOldest(64))
    }

    /// Asks for the events that started from `from` to `until`. Thread-safe, never blocks.
    public func request(from: Timestamp, until: Timestamp) {
        if case .dropped = continuation.yield((from, until)) {
            logger.warning("frigate.backfill.dropped", metadata: ["backfill.from": "\(from.millisecondsSinceEpoch)"])
            state.withLock { $0.failedGaps += 1 }
        }
    }

    public var counts: Counts { state.withLock { $0 } }

    /// Fetches one gap at a time until graceful shutdown.
    public func run() async {
        for await (from, until) in stream.cancelOnGracefulShutdown() {
            // A fetch under way is cancelled by a graceful shutdown, not waited for.
            await cancelWhenGracefulShutdown { await fetch(from: from, until: until) }
        }
        continuation.finish()
    }

    /// Fetches every page of one gap, then submits the events oldest first.
    func fetch(from: Timestamp, until: Timestamp) async {
        // Frigate's `after` is exclusive too: an event starting exactly at the gap's start counts.
        let after = Double(from.millisecondsSinceEpoch - options.margin.value) / 1000 - 0.001
        // Our times are whole milliseconds, Frigate's are finer: the gap's last millisecond counts whole.
        var before = Double(until.millisecondsSinceEpoch + options.margin.value + 1) / 1000
        var events: [(start: Double, id: String, payload: [UInt8])] = []
        var ids: Set<String> = []
        var complete = false
        for _ in 0..<options.maxPages {
            let url = "\(baseURL)/api/events?after=\(Self.seconds(after))&before=\(Self.seconds(before))&limit=\(options.pageSize)&include_thumbnails=0"
            guard let body = await get(url) else {
                state.withLock { $0.failedGaps += 1 }
                logger.error("frigate.backfill.failed", metadata: ["backfill.url": "\(url)", "backfill.events": "\(events.count)"])
                break
            }
            guard let page = parse(body, url: url) else { break }
            var fresh = 0
            var oldest = before
            for event in page {
                oldest = min(oldest, event.start)
                if ids.insert(event.id).inserted {
                    events.append(event)
                    fresh += 1
                }
            }
            if page.count < options.pageSize || fresh == 0 {
                complete = true
                break
            }
            // Frigate's `before` is exclusive: ties at the boundary come again and are skipped.
            before = oldest + 0.001
        }
        if !complete, events.count >= options.pageSize * options.maxPages {
            logger.warning("frigate.backfill.truncated", metadata: ["backfill.pages": "\(options.maxPages)", "backfill.events": "\(events.count)"])
        }
        events.sort { ($0.start, $0.id) < ($1.start, $1.id) }
        for event in events { submit(Topic.frigateBackfill, event.payload) }
        state.withLock {
            $0.events += events.count
            if complete { $0.gaps += 1 }
        }
        logger.notice("frigate.backfill.fetched", metadata: [
            "backfill.from": "\(from.millisecondsSinceEpoch)", "backfill.until": "\(until.millisecondsSinceEpoch)",
            "backfill.events": "\(events.count)", "backfill.complete": "\(complete)",
        ])
    }

    /// One GET with retries; the body of a 200 answer, or nil when every attempt failed.
    private func get(_ url: String) async -> [UInt8]? {
        var delay = options.backoff
        for attempt in 1...options.attempts {
            do {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Accept", value: "application/json")
                let response = try await httpClient.execute(request, timeout: options.timeout)
                let body = try await response.body.collect(upTo: options.maxBodyBytes)
                if response.status.code == 200 { return Array(body.readableBytesView) }
                state.withLock { $0.failedRequests += 1 }
                logger.warning("frigate.backfill.refused", metadata: ["backfill.url": "\(url)", "http.status": "\(response.status.code)", "backfill.attempt": "\(attempt)"])
            } catch {
                state.withLock { $0.failedRequests += 1 }
                logger.warning("frigate.backfill.request.failed", metadata: ["backfill.url": "\(url)", "error": "\(error)", "backfill.attempt": "\(attempt)"])
            }
            guard attempt < options.attempts else { break }
            do { try await Task.sleep(for: delay) } catch { return nil }
            delay *= 2
        }
        return nil
    }

    /// The events of one page, each re-serialised as its own payload; nil (logged, counted,
    /// dead-lettered) when the answer is not a JSON array. Elements that are not objects with
    /// an `id` and a numeric `start_time` are passed on anyway: the decoder refuses them, and
    /// they become dead letters with the reason.
    private func parse(_ body: [UInt8], url: String) -> [(start: Double, id: String, payload: [UInt8])]? {
        guard let array = (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [Any] else {
            state.withLock { $0.malformed += 1 }
            logger.error("frigate.backfill.malformed", metadata: ["backfill.url": "\(url)", "backfill.bytes": "\(body.count)"])
            submit(Topic.frigateBackfill, Array(body.prefix(64 * 1024)))
            return nil
        }
        var page: [(start: Double, id: String, payload: [UInt8])] = []
        for (index, element) in array.enumerated() {
            let payload = (try? JSONSerialization.data(withJSONObject: element, options: [.sortedKeys, .fragmentsAllowed])).map { Array($0) } ?? []
            let object = element as? [String: Any]
            guard let id = object?["id"] as? String, let start = (object?["start_time"] as? NSNumber)?.doubleValue else {
                state.withLock { $0.malformed += 1 }
                logger.warning("frigate.backfill.element.malformed", metadata: ["backfill.url": "\(url)", "backfill.index": "\(index)"])
                submit(Topic.frigateBackfill, payload)
                continue
            }
            page.append((start, id, payload))
        }
        return page
    }

    /// Epoch seconds with millisecond precision, as Frigate's query parameters take them.
    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
