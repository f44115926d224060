import Foundation
import PropertyWatchDC09
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A panel reporting over DC-09 through a whole night (18:00–06:00, Stockholm) on the virtual
/// clock: link tests every 30 minutes, arming, an intrusion and its restore, a fire sent twice
/// (its ACK lost), disarming. The daemon and the gateway both take their time from the
/// scenario clock, and each step waits for both to confirm it.
@Suite("pw-dc09 through a night on the virtual clock")
struct DC09NightScenarioTests {
    /// A panel's TCP connection: one frame at a time, waiting for the answer.
    final class Panel {
        let fd: Int32

        init(port: Int32) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { throw ChildProcessError("cannot connect to pw-dc09") }
            // Bounds only a failure: an answer normally takes milliseconds.
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Sends one plain frame and returns the answer's token (`ACK`, `NAK`, `DUH`) or "none".
        func send(_ body: String) -> String {
            let frame = DC09Reply.wrap(Array(body.utf8))
            _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            var reply: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while !reply.contains(0x0D) {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return "none" }
                reply += buffer[0..<n]
            }
            return (try? DC09FrameParser.parse(reply).get().token) ?? "garbled"
        }
    }

    @Test func aWholeNightOverDC09() throws {
        let stack = try DC09Stack(ackTimeoutSeconds: 5)
        let clockAcks = try TestSubscriber(port: stack.broker.port, filters: ["propertywatch/v1/sim/clock/ack", "propertywatch/v1/sim/clock/ack/dc09"])
        let output = try TestSubscriber(port: stack.broker.port, filters: ["propertywatch/v1/units/+/requests", "propertywatch/v1/incidents/+"])
        let publisher = try TestPublisher(port: stack.broker.port)
        try stack.startDaemon(virtualClock: true)
        // 2026-11-25 18:00 in Stockholm (CET) is 17:00 UTC.
        let start = try #require(DC09Timestamp.parse(Array("17:00:00,11-25-2026".utf8)))
        var confirmers = 1
        func step(to time: Int64) {
            #expect(publisher.publish("propertywatch/v1/sim/clock", #"{"v":1,"time":\#(time)}"#))
            var confirmed: Set<String> = []
            while confirmed.count < confirmers, let ack = clockAcks.next(timeout: 10) {
                if ack.payload.contains("\(time)") { confirmed.insert(ack.topic) }
            }
            #expect(confirmed.count == confirmers, "clock step \(time) not confirmed")
        }
        step(to: start)
        try stack.startGateway(virtualClock: true)
        // The gateway has no time until the next clock message: the same time again, for both.
        confirmers = 2
        step(to: start)
        let panel = try Panel(port: stack.tcpPort)

        var seq = 0
        var answers: [String] = []
        func report(_ data: String, token: String = "SIA-DCS") {
            seq += 1
            let body = "\"\(token)\"\(String(format: "%04d", seq))R1L1#1234[\(data)]"
            answers.append(panel.send(body))
        }
        let minute: Int64 = 60_000
        for m in stride(from: 0, through: 12 * 60, by: 5) {
            let now = start + Int64(m) * minute
            if m > 0 { step(to: now) }
            if m % 30 == 0 { report("", token: "NULL") }
            switch m {
            case 60: report("#1234|Nri1/CL3")                 // 19:00 armed by user 3
            case 7 * 60 + 10: report("#1234|Nri1/BA3")        // 01:10 intrusion, zone 3 (mapped to a)
            case 7 * 60 + 15: report("#1234|Nri1/BR3")        // 01:15 restored
            case 8 * 60 + 15:                                  // 02:15 fire; its ACK is lost and the panel sends it again
                report("#1234|1110 01 002", token: "ADM-CID")
                seq -= 1
                report("#1234|1110 01 002", token: "ADM-CID")
            case 12 * 60: report("#1234|Nri1/OP3")            // 06:00 disarmed
            default: break
            }
        }
        #expect(answers.count == 25 + 6)
        #expect(answers.allSatisfy { $0 == "ACK" }, "\(answers)")

        // The fire from the panel reached a patrol unit as a guard request.
        var fireRequest = false
        while !fireRequest, let message = output.next(timeout: 10, where: { $0.contains("/requests") }) {
            fireRequest = message.payload.contains(#""priority":"fire""#) && message.payload.contains("broskolan")
        }
        #expect(fireRequest)
        // The fire sent twice is one incident: the retransmission was ACKed again, nothing more.
        #expect(try stack.count("SELECT COUNT(*) FROM incident WHERE site = 'broskolan' AND priority = 'fire'") == 1)
        // Every frame is in the journal once per sequence number, with the night's times.
        #expect(try stack.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'panel-plain'") == seq)
        #expect(try stack.count("SELECT COUNT(*) FROM event WHERE device = 'panel-plain' AND CAST(payload AS TEXT) LIKE '%\"cid\":\"E110\"%'") >= 1)
        let late = try stack.count("SELECT COUNT(*) FROM event WHERE device = 'panel-plain' AND CAST(json_extract(CAST(payload AS TEXT), '$.time') AS INTEGER) >= ?", [start + 12 * 60 * minute])
        #expect(late >= 1)
        #expect(stack.gateway?.terminate() == 0)
        #expect(stack.stopDaemon() == 0)
    }
}
