import Foundation
import PropertyWatchDC09
import PropertyWatchTestSupport
import Testing

/// A panel reporting over DC-09 through a whole night (18:00–06:00, Stockholm) on the virtual
/// clock: link tests every 30 minutes, arming, an intrusion and its restore, a fire sent twice
/// (its ACK lost), disarming. The daemon and the gateway both take their time from the
/// scenario clock, and each step waits for both to confirm it.
@Suite("pw-dc09 through a night on the virtual clock")
struct DC09NightScenarioTests {
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
        let panel = try DC09Connection(port: stack.tcpPort)

        var seq = 0
        var answers: [String] = []
        func report(_ data: String, token: String = "SIA-DCS") {
            seq += 1
            let body = "\"\(token)\"\(String(format: "%04d", seq))R1L1#1234[\(data)]"
            answers.append(panel.exchange(body))
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
