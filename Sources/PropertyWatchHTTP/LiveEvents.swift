import Foundation
import Hummingbird
import NIOCore

/// `GET /api/events`: server-sent events. Each commit wakes the stream, which sends what is
/// new in the journal (incident changes, guard requests, escalations, warnings, operator
/// actions) as `event: <kind>` with a JSON `FeedItem`; a wake-up with nothing new sends a
/// comment, so a closed connection is noticed. The stream ends on shutdown.
enum LiveEvents {
    static func response(queries: JournalQueries, feed: LiveFeed) throws -> Response {
        // Subscribe first: a commit between the two then still wakes the stream.
        let wakeUps = feed.subscribe()
        let start = try queries.watermark()
        let body = ResponseBody { writer in
            var mark = start
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: hello\ndata: {}\n\n"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for await _ in wakeUps {
                let (items, next) = try queries.changes(after: mark)
                mark = next
                if items.isEmpty {
                    try await writer.write(ByteBuffer(string: ": idle\n\n"))
                    continue
                }
                var text = ""
                for item in items {
                    let json = String(decoding: try encoder.encode(item), as: UTF8.self)
                    text += "event: \(item.kind)\ndata: \(json)\n\n"
                }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: body)
    }
}
