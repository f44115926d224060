import Foundation
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The third-party dialler dc09-spt (PyPI, in the virtualenv `deploy/setup.sh` makes) through
/// the real `pw-dc09`, Mosquitto and `propertywatchd` into the journal.
@Suite("pw-dc09 with a real dialler", .serialized, .enabled(if: DC09Stack.diallerAvailable || ProcessInfo.processInfo.environment["PROPERTYWATCH_DC09_PYTHON"] != nil))
struct DC09EndToEndTests {
    static let accounts: [(account: String, key: String?, device: String)] = [
        ("1234", nil, "panel-plain"), ("5678", DC09Stack.key128, "panel-aes128"), ("9ABC", DC09Stack.key256, "panel-aes256"),
    ]

    static func step(_ transport: String, _ port: Int32, _ account: String, _ key: String?, _ seq: Int, _ extra: [String: Any]) -> [String: Any] {
        var s: [String: Any] = ["transport": transport, "port": Int(port), "account": account, "seq": seq, "attempts": 5, "timeout": 3.0]
        if let key { s["key"] = key }
        for (k, v) in extra { s[k] = v }
        return s
    }

    @Test func plainAndEncryptedFramesOverTCPAndUDPReachTheJournalBeforeTheACK() throws {
        let stack = try DC09Stack()
        try stack.startDaemon()
        try stack.startGateway()
        var steps: [[String: Any]] = []
        // dc09-spt writes the sequence in hex ('{:04X}'): accounts 5678 and 9ABC allow that
        // (sequence_hex) and go past 9 on UDP ("000A"…"000D"); 1234 stays on decimal digits.
        for (transport, port, decimalBase, hexBase) in [("tcp", stack.tcpPort, 1, 1), ("udp", stack.udpPort, 5, 10)] {
            for a in Self.accounts {
                let base = a.account == "1234" ? decimalBase : hexBase
                steps.append(Self.step(transport, port, a.account, a.key, base, ["kind": "sia", "code": "FA", "zone": "3", "area": "1"]))
                steps.append(Self.step(transport, port, a.account, a.key, base + 1, ["kind": "cid", "code": "130", "zone": "5", "area": "2", "q": "1"]))
                steps.append(Self.step(transport, port, a.account, a.key, base + 2, ["kind": "sia", "code": "OP", "user": "4"]))
                steps.append(Self.step(transport, port, a.account, a.key, base + 3, ["kind": "null"]))
            }
        }
        let results = try stack.dial(steps)
        #expect(results.count == steps.count)
        #expect(results.map { $0["answer"] as? String } == Array(repeating: "ACK", count: steps.count), "\(results)")

        // Every ACKed frame is in the journal: 8 sequences per panel.
        for a in Self.accounts {
            #expect(try stack.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = ?", [a.device]) == 8, "\(a.device)")
        }
        let fire = try #require(try stack.rows("SELECT payload FROM event WHERE device = 'panel-aes256' AND seq = 1").first)
        let fireText = String(decoding: fire["payload"] as Data, as: UTF8.self)
        #expect(fireText.contains(#""sia":"FA""#) && fireText.contains(#""zone":3"#) && fireText.contains(#""partition":1"#))
        let cid = try #require(try stack.rows("SELECT payload FROM event WHERE device = 'panel-plain' AND seq = 6").first)
        let cidText = String(decoding: cid["payload"] as Data, as: UTF8.self)
        #expect(cidText.contains(#""cid":"E130""#) && cidText.contains(#""zone":5"#) && cidText.contains(#""partition":2"#))
        let opening = try #require(try stack.rows("SELECT payload FROM event WHERE device = 'panel-aes128' AND seq = 3").first)
        #expect(String(decoding: opening["payload"] as Data, as: UTF8.self).contains(#""user":4"#))
        #expect(stack.gateway?.terminate() == 0)
        #expect(stack.stopDaemon() == 0)
    }

    @Test func aSkewedClockGetsANAKWithTheReceiverTimeAndTheCorrectedFrameIsACKed() throws {
        let stack = try DC09Stack()
        try stack.startDaemon()
        try stack.startGateway()
        let skewed = try stack.dial([Self.step("tcp", stack.tcpPort, "5678", DC09Stack.key128, 1, ["kind": "sia", "code": "BA", "zone": "2", "offset": -300])])
        #expect(skewed.first?["answer"] as? String == "NAK")
        // dc09-spt reads the receiver's time from the NAK as an offset to its own clock (here
        // right, so about 0) and sends again with it, as it does in transfer_msg.
        let offset = try #require(skewed.first?["offset"] as? Double)
        #expect(abs(offset) < 5)
        let corrected = try stack.dial([Self.step("tcp", stack.tcpPort, "5678", DC09Stack.key128, 1, ["kind": "sia", "code": "BA", "zone": "2", "offset": offset])])
        #expect(corrected.first?["answer"] as? String == "ACK")
        #expect(try stack.count("SELECT COUNT(*) FROM event WHERE device = 'panel-aes128' AND seq = 1") >= 1)
    }

    @Test func noACKWhileTheDaemonIsDownAndTheRetransmissionIsACKedOnceItIsBack() throws {
        let stack = try DC09Stack(ackTimeoutSeconds: 1)
        try stack.startDaemon()
        try stack.startGateway()
        #expect(stack.stopDaemon() == 0)
        let alarm: [String: Any] = ["kind": "sia", "code": "BA", "zone": "7", "attempts": 1, "timeout": 2.5]
        let unconfirmed = try stack.dial([Self.step("tcp", stack.tcpPort, "1234", nil, 4, alarm)])
        #expect(unconfirmed.first?["answer"] as? String == "none")
        try stack.startDaemon()
        var retry = alarm
        retry["attempts"] = 3
        let confirmed = try stack.dial([Self.step("tcp", stack.tcpPort, "1234", nil, 4, retry)])
        #expect(confirmed.first?["answer"] as? String == "ACK")
        #expect(try stack.count("SELECT COUNT(*) FROM event WHERE device = 'panel-plain' AND seq = 4") >= 1)
    }

    @Test func garbageAnOversizeFrameAndManyFramesInOneSegment() throws {
        let stack = try DC09Stack()
        try stack.startDaemon()
        try stack.startGateway()
        func frame(_ body: String) -> [UInt8] {
            var crc: UInt16 = 0
            for b in body.utf8 {
                crc ^= UInt16(b)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
            }
            return Array("\n\(String(format: "%04X%04X", crc, body.utf8.count))\(body)\r".utf8)
        }
        var segment = Array("GET / HTTP/1.1\r\n".utf8) + [0x0A] + [UInt8](repeating: 0x30, count: 3000) + [0x0D]
        var badCRC = frame("\"SIA-DCS\"0011R1L2#1234[#1234|NBA1]")
        badCRC[1] = badCRC[1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        segment += badCRC
        for seq in 1...5 { segment += frame("\"SIA-DCS\"000\(seq)R1L2#1234[#1234|Nri1/BA0\(seq)]") }
        segment += frame("\"SIA-DCS\"0006R1L2#7777[#7777|NBA1]")
        let hex = segment.map { String(format: "%02X", $0) }.joined()
        let result = try stack.dial([["kind": "raw", "port": Int(stack.tcpPort), "data": hex, "expect": 6, "timeout": 5.0]])
        let answers = (result.first?["answer"] as? String ?? "").split(separator: ",").map(String.init)
        // Five ACKs and a DUH for the unknown account, in whatever order the daemon confirms; nothing for the rest.
        #expect(answers.sorted() == ["ACK", "ACK", "ACK", "ACK", "ACK", "DUH"], "\(answers)")
        #expect(try stack.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'panel-plain'") == 5)
    }

    @Test func aKeyFileReadableByOthersIsRefused() throws {
        let stack = try DC09Stack(keyMode: 0o644)
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("pw-dc09").path,
            ["--config", stack.config.path, "--validate"], captureOutput: true)
        var output = ""
        while let chunk = process.standardOutput?.availableData, !chunk.isEmpty { output += String(decoding: chunk, as: UTF8.self) }
        #expect(process.waitForExit() == 78)
        #expect(output.contains("dc09.accounts[1].key_file") && output.contains("must not be readable"), "\(output)")
    }
}
