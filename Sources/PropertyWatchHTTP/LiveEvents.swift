import Foundation
import Hummingbird
import NIOCore

/// `GET /api/events`: server-sent events. Each commit wakes the stream, which sends what is
/// new in the journal (incident changes, guard requests, escalations, warnings, operator
/// actions) as `event: <kind>` with a JSON `FeedItem`; a wake-up with nothing new sends a
/// comment, so a closed connection is noticed. The stream ends on shutdown.
enum LiveEvents {
    static func response(queries: JournalQueries, feed: LiveFeed) async throws -> Response {
        // The mark first, then the subscription, then one look before the first wake-up: a
        // commit in between is then sent rather than missed.
        let start = try await queries.watermark()
        let wakeUps = feed.subscribe()
        let body = ResponseBody { writer in
            var mark = start
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: hello\ndata: {}\n\n"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            func sendChanges(idleComment: Bool) async throws {
                let (items, next) = try await queries.changes(after: mark)
                mark = next
                if items.isEmpty {
                    if idleComment { try await writer.write(ByteBuffer(string: ": idle\n\n")) }
                    return
                }
                var text = ""
                for item in items {
                    let json = String(decoding: try encoder.encode(item), as: UTF8.self)
                    text += "event: \(item.kind)\ndata: \(json)\n\n"
                }
                try await writer.write(ByteBuffer(string: text))
            }
            try await sendChanges(idleComment: false)
            for await _ in wakeUps { try await sendChanges(idleComment: true) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: body)
    }
}
