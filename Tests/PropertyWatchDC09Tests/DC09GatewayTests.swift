import PropertyWatchConfig
import PropertyWatchCore
import Testing
@testable import PropertyWatchDC09

@Suite struct DC09GatewayTests {
    let pad = [UInt8](repeating: 0x41, count: 16)

    func session(_ gateway: DC09Gateway) -> DC09Session {
        DC09Session(maxFrameBytes: gateway.settings.maxFrameBytes, ackTimeoutMilliseconds: 5000)
    }

    func sent(_ actions: [DC09Session.Action]) -> [[UInt8]] {
        actions.compactMap { if case .send(let b) = $0 { b } else { nil } }
    }

    func published(_ actions: [DC09Session.Action]) -> [(String, String)] {
        actions.compactMap { if case .publish(let t, let p) = $0 { (t, text(p)) } else { nil } }
    }

    func outcomes(_ actions: [DC09Session.Action]) -> [DC09Outcome] {
        actions.compactMap { if case .outcome(let o) = $0 { o } else { nil } }
    }

    /// Decodes a published payload as the daemon does.
    func decode(_ topic: String, _ payload: String) throws -> DecodeResult {
        let decoder = MessageDecoder(directory: SiteDirectory(try testConfiguration().watch), limits: DecodingLimits())
        return Array(payload.utf8).withUnsafeBytes { decoder.decode(topic: topic, payload: $0, receivedAt: Timestamp(millisecondsSinceEpoch: noon)) }
    }

    @Test func aPlainEventIsPublishedAndACKedOnlyWhenTheDaemonConfirmsIt() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let f = frame("\"SIA-DCS\"0042R1L0#1234[#1234|Nri1/BA01]_12:00:00,01-15-2026")
        let first = s.receive(f, gateway: gateway, now: noon + 1000, random: { pad })
        #expect(sent(first).isEmpty)
        let pubs = published(first)
        try #require(pubs.count == 1)
        #expect(pubs[0].0 == "propertywatch/v1/sites/skola/alarms/panel-1")
        #expect(pubs[0].1 == #"{"v":1,"site":"skola","device":"panel-1","zone":"korridor","sia":"BA","code":"SIA:BA","partition":1,"account":"1234","seq":42,"id":"dc09-1234-0042-1768478400","time":1768478400000}"#)
        guard case .message(.alarm(let alarm)) = try decode(pubs[0].0, pubs[0].1) else {
            Issue.record("daemon refused the payload")
            return
        }
        #expect(alarm.eventClass == .intrusion && alarm.zone == "korridor" && alarm.sequence == 42)

        // Another device's acknowledgement, or another sequence, does not release it.
        #expect(s.acknowledged(site: "skola", device: "panel-2", sequences: [42], now: noon + 1100).isEmpty)
        #expect(s.acknowledged(site: "skola", device: "panel-1", sequences: [41, 43], now: noon + 1100).isEmpty)
        let acked = s.acknowledged(site: "skola", device: "panel-1", sequences: [41, 42], now: noon + 1200)
        #expect(sent(acked) == [frame("\"ACK\"0042R1L0#1234[]")])
        #expect(outcomes(acked) == [DC09Outcome(reply: .ack, account: "1234", latencyMilliseconds: 200)])
        #expect(s.waitingCount == 0)
    }

    @Test func noACKWhenTheDaemonDoesNotConfirmInTime() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        _ = s.receive(frame("\"NULL\"0007R1L0#1234[]"), gateway: gateway, now: noon, random: { pad })
        #expect(s.nextDeadline == noon + 5000)
        #expect(s.expire(now: noon + 4999).isEmpty)
        let expired = s.expire(now: noon + 5000)
        #expect(sent(expired).isEmpty && outcomes(expired).map(\.reason) == ["ack-timeout"])
        // A late acknowledgement does not produce a false ACK either.
        #expect(s.acknowledged(site: "skola", device: "panel-1", sequences: [7], now: noon + 6000).isEmpty)
    }

    @Test func aRetransmissionIsPublishedAgainAndACKedOnce() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let f = frame("\"ADM-CID\"0009R1L0#1234[#1234|1130 01 015]")
        let a = s.receive(f, gateway: gateway, now: noon, random: { pad })
        let b = s.receive(f, gateway: gateway, now: noon + 3000, random: { pad })
        #expect(published(a).count == 1 && published(b).count == 1)
        #expect(published(a)[0].1.contains(#""cid":"E130""#) && published(a)[0].1.contains(#""zone":"entre""#))
        #expect(s.waitingCount == 1)
        #expect(sent(s.acknowledged(site: "skola", device: "panel-1", sequences: [9], now: noon + 3100)).count == 1)
    }

    /// One frame with two events: both share the frame's `seq`; the second is part 2 with its
    /// own id, so the daemon admits each once (and drops a retransmitted frame part by part).
    @Test func aMultiEventFrameNumbersItsParts() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let actions = s.receive(frame("\"SIA-DCS\"0012R1L0#1234[#1234|Nri1/BA01/BA02]"), gateway: gateway, now: noon, random: { pad })
        let payloads = published(actions).map(\.1)
        #expect(payloads.count == 2)
        #expect(payloads.allSatisfy { $0.contains(#""seq":12"#) })
        #expect(!payloads[0].contains(#""part""#), "the first part is the frame's own event")
        #expect(payloads[1].contains(#""part":2"#))
        #expect(payloads[0].contains(#"-1","time""#) && payloads[1].contains(#"-2","time""#), "each part has its own id")
    }

    @Test func manyFramesInOneSegmentAreEachAnswered() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let frames = (1...5).map { frame("\"SIA-DCS\"000\($0)R1L0#1234[#1234|Nri1/BA0\($0)]") }
        let actions = s.receive(frames.flatMap { $0 }, gateway: gateway, now: noon, random: { pad })
        #expect(published(actions).count == 5)
        let acks = s.acknowledged(site: "skola", device: "panel-1", sequences: [1, 2, 3, 4, 5], now: noon + 10)
        #expect(sent(acks) == (1...5).map { frame("\"ACK\"000\($0)R1L0#1234[]") })
    }

    @Test func anEncryptedFrameIsDecryptedAndACKedEncrypted() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let f = frame("\"*SIA-DCS\"0042R1L0#1234[64E72F9B7E6488A4174F96C044FDC9661089D5D53780B832C557184592A4E322587FC73711C3333571C668FFF93EB2D4")
        let actions = s.receive(f, gateway: gateway, now: noon + 2000, random: { pad })
        #expect(published(actions).first?.1.contains(#""sia":"BA""#) == true)
        let ack = try #require(sent(s.acknowledged(site: "skola", device: "panel-1", sequences: [42], now: noon + 2100)).first)
        let reply = try DC09FrameParser.parse(ack).get()
        #expect(reply.token == "ACK" && reply.encrypted && reply.sequenceText == "0042" && reply.receiver == "R1" && reply.line == "L0")
        let content = try DC09Cipher.content(ofPlaintext: DC09Cipher(key: key128)!.decrypt(hexBody: reply.body).get()).get()
        #expect(text(content) == "]_12:00:02,01-15-2026")
    }

    @Test func anAES256AccountWithContactID() throws {
        let gateway = try testGateway()
        let f = frame("\"*ADM-CID\"0042R1L0#ABCD[467BC92C5F4EABC1FD969C51F5562C0FB6DD8026B712AC27CA3E9EC437A94FCB4492BB67F49623DBBA943E1A142AAEFC")
        guard case .publishAndAwait(let pubs, let awaited, _) = gateway.evaluate(f, now: noon, padding: pad).decision else {
            Issue.record("not accepted")
            return
        }
        #expect(awaited.device == "panel-2" && awaited.sequence == 42)
        #expect(pubs[0].topic == "propertywatch/v1/sites/skola/alarms/panel-2")
        #expect(pubs[0].payload == Array(#"{"v":1,"site":"skola","device":"panel-2","zone":15,"cid":"E130","code":"CID:E130","partition":1,"account":"ABCD","seq":42,"id":"dc09-ABCD-0042-1768478405","time":1768478405000}"#.utf8))
    }

    static let refusals: [(String, String, DC09Reply.Kind, String)] = [
        ("unknown account", "\"SIA-DCS\"0001R1L0#9999[#9999|NBA1]", .duh, "unknown-account"),
        ("plain frame from an encrypted-only account", "\"SIA-DCS\"0001R1L0#ABCD[#ABCD|NBA1]", .duh, "unencrypted"),
        ("undecryptable", "\"*SIA-DCS\"0001R1L0#ABCD[64E72F9B7E6488A4174F96C044FDC9661089D5D53780B832C557184592A4E322587FC73711C3333571C668FFF93EB2D4", .duh, "undecryptable"),
        ("not whole blocks", "\"*SIA-DCS\"0001R1L0#ABCD[64E72F9B", .duh, "undecryptable"),
        ("timestamp 41 s behind", "\"SIA-DCS\"0001R1L0#1234[#1234|NBA1]_11:59:19,01-15-2026", .nak, "time-window"),
        ("timestamp 21 s ahead", "\"SIA-DCS\"0001R1L0#1234[#1234|NBA1]_12:00:21,01-15-2026", .nak, "time-window"),
        ("unknown token", "\"XYZ-ABC\"0001R1L0#1234[#1234|NBA1]", .duh, "unknown-token"),
        ("unreadable data", "\"SIA-DCS\"0001R1L0#1234[#1234|Atext]", .duh, "unreadable-data"),
        ("bad content", "\"SIA-DCS\"0001R1L0#1234[#1234|NBA1", .none, "malformed"),
    ]

    @Test(arguments: refusals)
    func refusedFrames(_ name: String, _ body: String, _ kind: DC09Reply.Kind, _ reason: String) throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let actions = s.receive(frame(body), gateway: gateway, now: noon, random: { pad })
        #expect(published(actions).isEmpty, "\(name)")
        #expect(outcomes(actions).map(\.reply) == [kind] && outcomes(actions).map(\.reason) == [reason], "\(name)")
        #expect(sent(actions).count == (kind == .none ? 0 : 1), "\(name)")
        #expect(s.waitingCount == 0)
        if kind == .nak {
            #expect(sent(actions) == [frame("\"NAK\"0000R0L0A0[]_12:00:00,01-15-2026")])
        }
        if kind == .duh {
            let reply = try DC09FrameParser.parse(sent(actions)[0]).get()
            #expect(reply.token == "DUH" && reply.sequenceText == "0001" && reply.receiver == "R1" && reply.line == "L0" && !reply.encrypted)
        }
    }

    @Test func theWindowEdgesAreInside() throws {
        let gateway = try testGateway()
        for t in ["11:59:20", "12:00:20"] {
            let e = gateway.evaluate(frame("\"SIA-DCS\"0001R1L0#1234[#1234|NBA1]_\(t),01-15-2026"), now: noon, padding: pad)
            guard case .publishAndAwait = e.decision else {
                Issue.record("\(t) refused: \(e.reason ?? "")")
                continue
            }
        }
    }

    @Test func badCRCGetsNoReplyUnlessConfigured() throws {
        var bad = frame("\"NULL\"0001R1L0#1234[]")
        bad[1] = UInt8(ascii: bad[1] == UInt8(ascii: "0") ? "1" : "0")
        #expect(DC09Reply.Kind.none == { if case .none = try! testGateway().evaluate(bad, now: noon, padding: pad).decision { return DC09Reply.Kind.none } else { return .ack } }())
        let nakking = try testGateway { $0.badFrame = .nak }
        guard case .reply(.nak, _) = nakking.evaluate(bad, now: noon, padding: pad).decision else {
            Issue.record("expected NAK")
            return
        }
    }

    @Test func anUnknownCodeIsPublishedForTheDeadLetterAndAnsweredDUH() throws {
        let gateway = try testGateway()
        var s = session(gateway)
        let actions = s.receive(frame("\"SIA-DCS\"0003R1L0#1234[#1234|NZX01]"), gateway: gateway, now: noon, random: { pad })
        let pubs = published(actions)
        try #require(pubs.count == 1)
        #expect(pubs[0].1.contains(#""sia":"ZX""#))
        guard case .rejected(let rejection) = try decode(pubs[0].0, pubs[0].1) else {
            Issue.record("the daemon should refuse it as a dead letter")
            return
        }
        #expect(rejection.reason == .unknownCode)
        #expect(outcomes(actions).map(\.reply) == [.duh] && outcomes(actions).map(\.reason) == ["unknown-code"])
        let quiet = try testGateway { $0.unknownCode = .none }
        guard case .publishAndReply(_, .none, nil) = quiet.evaluate(frame("\"SIA-DCS\"0003R1L0#1234[#1234|NZX01]"), now: noon, padding: pad).decision else {
            Issue.record("expected publish without reply")
            return
        }
    }

    /// Every code in the gateway's tables gives a payload the daemon accepts.
    @Test func everyKnownCodeDecodesInTheDaemon() throws {
        for code in SIACodeTable.table.keys.sorted() {
            let payload = DC09AlarmPayload.encode(site: "skola", device: "panel-1", event: DC09Event(protocolKind: .sia, code: code, zone: "3", partition: "1", user: "2"),
                                                  zone: "3", sequence: 1, id: "x", time: noon, account: "1234")
            guard case .message(.alarm) = try decode("propertywatch/v1/sites/skola/alarms/panel-1", text(payload)) else {
                Issue.record("SIA \(code) refused: \(text(payload))")
                continue
            }
        }
        for event in 100...999 {
            for q in ["E", "R", "P"] where ContactIDCodeTable.meaning(q + String(event)) != nil {
                let payload = DC09AlarmPayload.encode(site: "skola", device: "panel-1", event: DC09Event(protocolKind: .contactID, code: q + String(event)),
                                                      zone: nil, sequence: 1, id: "x", time: noon, account: "1234")
                guard case .message(.alarm) = try decode("propertywatch/v1/sites/skola/alarms/panel-1", text(payload)) else {
                    Issue.record("CID \(q)\(event) refused: \(text(payload))")
                    continue
                }
            }
        }
    }

    @Test func aHexSequenceIsReadOnlyWhereTheAccountAllowsIt() throws {
        let f = frame("\"NULL\"000AR1L0#1234[]")
        let strict = try testGateway()
        guard case .none = strict.evaluate(f, now: noon, padding: pad).decision else {
            Issue.record("a hex sequence passed a decimal account")
            return
        }
        #expect(strict.evaluate(f, now: noon, padding: pad).reason == "malformed")
        let lenient = try testGateway { $0.accounts[0].sequenceHex = true }
        guard case .publishAndAwait(_, let awaited, let ack) = lenient.evaluate(f, now: noon, padding: pad).decision else {
            Issue.record("not accepted")
            return
        }
        #expect(awaited.sequence == 10 && ack == frame("\"ACK\"000AR1L0#1234[]"))
    }

    @Test func aLinkTestIsAnEventOfClassTest() throws {
        let gateway = try testGateway()
        guard case .publishAndAwait(let pubs, let awaited, let ack) = gateway.evaluate(frame("\"NULL\"0000R1L0#1234[]_12:00:00,01-15-2026"), now: noon, padding: pad).decision else {
            Issue.record("NULL not accepted")
            return
        }
        #expect(awaited.sequence == 0 && ack == frame("\"ACK\"0000R1L0#1234[]"))
        guard case .message(.alarm(let alarm)) = try decode(pubs[0].topic, text(pubs[0].payload)) else {
            Issue.record("daemon refused the link test")
            return
        }
        #expect(alarm.eventClass == .test)
    }

    @Test func garbageAndOversizeAreCounted() throws {
        let gateway = try testGateway { $0.maxFrameBytes = 128 }
        var s = DC09Session(maxFrameBytes: 128, ackTimeoutMilliseconds: 5000)
        let actions = s.receive(Array("GET / HTTP/1.1\r\n".utf8) + [0x0A] + [UInt8](repeating: 0x30, count: 300), gateway: gateway, now: noon, random: { pad })
        #expect(outcomes(actions).map(\.reason) == ["garbage", "oversize"])
    }
}
