import Foundation
import PropertyWatchTestSupport
import Testing

/// The gateway's limits over real sockets: connections per source, the per-source frame rate,
/// and the counters that report them on the metrics endpoint.
@Suite("pw-dc09 limits")
struct DC09HostileTests {
    @Test func connectionsPerSourceAndTheFrameRateAreCappedAndCounted() throws {
        let metricsPort = try Loopback.freePort()
        let stack = try DC09Stack(extra: """
              max_connections_per_source: 3
              frames_per_second_per_source: 0.01
              burst_per_source: 10
              metrics_listen: 127.0.0.1:\(metricsPort)
            """)
        try stack.startDaemon()
        try stack.startGateway()

        // Four connections from one address: one of them (whichever the gateway activates last)
        // is closed at once; the other three each get their link test ACKed.
        let connections = try (0..<4).map { _ in try DC09Connection(port: stack.tcpPort) }
        var open: [DC09Connection] = []
        for (i, c) in connections.enumerated() {
            c.write(DC09Connection.frame("\"NULL\"000\(i + 1)R1L2#1234[]"))
            let reply = String(decoding: c.read(replies: 1), as: UTF8.self)
            if reply.contains("\"ACK\"") { open.append(c) } else { #expect(reply.isEmpty) }
        }
        #expect(open.count == 3)

        // Ten frames in one segment: the seven tokens left of the burst of ten are answered,
        // three frames are over the rate and get no answer.
        let panel = try #require(open.first)
        panel.write((1...10).flatMap { DC09Connection.frame("\"SIA-DCS\"\(String(format: "%04d", 10 + $0))R1L2#1234[#1234|Nri1/BA0\($0 % 10)]") })
        let replies = String(decoding: panel.read(replies: 7), as: UTF8.self)
        #expect(replies.components(separatedBy: "\"ACK\"").count - 1 == 7, "\(replies)")

        let metrics = try DC09Connection(port: metricsPort)
        metrics.write(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let text = metrics.readAll()
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains(#"pw_dc09_frames_total{reply="ack"} 10"#), "\(text)")
        #expect(text.contains(#"pw_dc09_refusals_total{reason="rate-limited"} 3"#), "\(text)")
        #expect(text.contains("pw_dc09_connections_refused_total 1"), "\(text)")
        #expect(text.contains(#"pw_dc09_last_message_timestamp_seconds{account="1234"}"#))
        #expect(text.contains(#"pw_dc09_supervision_fault{account="5678"} 0"#))
        #expect(text.contains("pw_dc09_ack_latency_seconds_count 10"))
    }
}
