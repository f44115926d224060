import Testing
@testable import PropertyWatchCore

@Suite struct MessageEncoderTests {
    typealias F = ContractFixtures

    static let inbound: [InboundMessage] = [
        .alarm(AlarmEvent(site: "brohuset", device: "pir-12", zone: "korridor", eventClass: .intrusion, sequence: 7, eventID: "e-7", deviceTime: F.now)),
        .alarm(AlarmEvent(site: "brohuset", device: "panel-1", eventClass: .trouble, isRestore: true, trouble: .mainsFailure, sequence: 0, eventID: "e\"q\\", deviceTime: F.now)),
        .alarm(AlarmEvent(site: "brohuset", device: "panel-1", eventClass: .fire, isRestore: true, sequence: 9, eventID: "e-9", deviceTime: F.now, code: "SIA:FR")),
        .alarm(AlarmEvent(site: "brohuset", device: "panel-1", eventClass: .close, sequence: UInt64(Int64.max), eventID: "e-10", deviceTime: F.now, code: "CID:R401")),
        .camera(CameraTrigger(site: "brohuset", camera: "cam-2", zones: ["entre", "yard"], label: .person, score: 0.87, eventID: "c-1", start: F.now, snapshot: "http://nvr/a?b=1&c=\"2\"")),
        .camera(CameraTrigger(site: "brohuset", camera: "cam-2", zones: [], label: .vehicle, score: 1, phase: .end, eventID: "c-2", start: F.now - Milliseconds(5000), end: F.now)),
        .heartbeat(Heartbeat(site: "brohuset", device: "pir-12", deviceTime: F.now)),
        .position(UnitPosition(unit: "P1", position: Coordinate(latitude: 59.5316047, longitude: -17.1), speed: 13.9, time: F.now)),
        .position(UnitPosition(unit: "P1", position: Coordinate(latitude: 59, longitude: 0.000001), speed: 0, time: F.now)),
        .checkIn(CheckIn(unit: "P2", site: "tibble-skola", method: .tag, present: false, time: F.now)),
        .unitStatus(UnitStatusReport(unit: "P2", state: .offDuty, time: F.now)),
        .reply(GuardReply(unit: "P1", incident: "I12", request: "I12-1", kind: .cleared, outcome: .vandalism, note: "Krossad ruta.\n\tTab, \u{1} kontroll, \"citat\", å ä ö 😀", time: F.now)),
        .reply(GuardReply(unit: "P1", incident: "I12", kind: .accepted, time: F.now)),
    ]

    @Test(arguments: inbound)
    func roundTrip(message: InboundMessage) throws {
        let bytes = MessageEncoder.encode(message)
        let decoded = F.decode(MessageEncoder.topic(for: message), bytes: bytes)
        #expect(decoded == .message(message), "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test func escapesStrings() {
        let bytes = MessageEncoder.warning(site: nil, code: "late-close", message: "a\"b\\c\n\u{0}\u{1F}/é", time: F.now)
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"v":1,"code":"late-close","message":"a\"b\\c\n\u0000\u001f/é","time":1764100000000}"#)
    }

    @Test func acknowledgementAndStatus() {
        #expect(String(decoding: MessageEncoder.acknowledgement(site: "brohuset", device: "pir-12", sequence: 42, time: F.now), as: UTF8.self)
            == #"{"v":1,"site":"brohuset","device":"pir-12","seq":42,"seqs":[42],"time":1764100000000}"#)
        #expect(String(decoding: MessageEncoder.acknowledgement(site: "s", device: "d", sequences: [7, 9, 8], time: F.now), as: UTF8.self)
            == #"{"v":1,"site":"s","device":"d","seq":9,"seqs":[7,9,8],"time":1764100000000}"#)
        #expect(String(decoding: MessageEncoder.daemonStatus(online: true, time: F.now), as: UTF8.self)
            == #"{"v":1,"state":"online","time":1764100000000}"#)
        #expect(String(decoding: MessageEncoder.daemonStatus(online: false, time: nil), as: UTF8.self) == #"{"v":1,"state":"offline"}"#)
    }

    @Test func guardRequestHasEveryField() {
        let request = GuardRequest(
            requestID: "I12-2", incident: "I12", unit: "P2", site: "brohuset", siteName: "Brohuset", address: "Torget 1",
            zones: ["entre"], priority: .verifiedIntrusion, verification: .video, triggers: ["intrusion pir-12", "person cam-2"],
            snapshot: "http://nvr/1.jpg", eta: F.now + .minutes(7), issuedAt: F.now, attempt: 2)
        #expect(String(decoding: MessageEncoder.guardRequest(request), as: UTF8.self)
            == #"{"v":1,"request":"I12-2","incident":"I12","unit":"P2","site":"brohuset","siteName":"Brohuset","address":"Torget 1","zones":["entre"],"priority":"verified-intrusion","rank":5,"verification":"video","triggers":["intrusion pir-12","person cam-2"],"snapshot":"http://nvr/1.jpg","eta":1764100420000,"attempt":2,"time":1764100000000}"#)
    }

    @Test func incidentTransition() {
        let first = IncidentTransition(incident: "I1", site: "brohuset", from: nil, to: .new, priority: .fire, cause: "fire panel-1", time: F.now)
        #expect(String(decoding: MessageEncoder.incidentTransition(first), as: UTF8.self)
            == #"{"v":1,"incident":"I1","site":"brohuset","from":null,"to":"new","priority":"fire","rank":7,"cause":"fire panel-1","time":1764100000000}"#)
    }

    @Test func encodedOutboundMessagesAreStrictJSON() {
        let outputs = [
            MessageEncoder.warning(site: "brohuset", code: "x", message: "\u{7F}\u{2028}", time: F.now),
            MessageEncoder.incidentTransition(IncidentTransition(incident: "I1", site: "s", from: .new, to: .dispatched, priority: .trouble, cause: "c", time: F.now)),
        ]
        for bytes in outputs {
            let ok = bytes.withUnsafeBytes { raw in
                JSONDocument.parse(raw, maxDepth: 8, { _ in true }, failure: { _ in false })
            }
            #expect(ok)
        }
    }
}
