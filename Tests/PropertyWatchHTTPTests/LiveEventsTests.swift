import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import Testing

/// `/api/events`: what a commit pushes to an open event stream.
@Suite struct LiveEventsTests {
    @Test func aCommitPushesTheNewIncidentChangeAndTheStreamEndsOnClose() async throws {
        let fixture = try APIFixture()
        let feed = LiveFeed()
        let app = try OperatorAPI.application(
            backend: fixture.backend, host: "127.0.0.1", port: 0, options: .init(feed: feed), logger: Logger(label: "test.http"))
        try await app.test(.live) { client in
            async let body = client.execute(uri: "/api/events", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                return String(buffer: response.body)
            }
            // The handler subscribes before it answers; wait for it without sleeping.
            while feed.subscriberCount == 0 { await Task.yield() }
            try fixture.seedIncident("inc-live")
            feed.signal()
            // A wake-up still buffered is delivered before the stream ends.
            feed.close()
            let text = try await body
            #expect(text.hasPrefix("retry: 2000\nevent: hello\n"))
            #expect(text.contains("event: incident\ndata: {"))
            #expect(text.contains(#""incident":"inc-live""#))
            #expect(text.contains("new → dispatched"))
        }
        #expect(feed.subscriberCount == 0)
    }
}
