import Testing
@testable import PropertyWatchCore

@Suite struct SupervisionTests {
    static func heartbeat(_ device: DeviceID) -> InboundMessage {
        .heartbeat(Heartbeat(site: Fixture.preschool, device: device, deviceTime: Fixture.t0))
    }

    /// Runs the engine minute by minute, feeding heartbeats from `alive` until `until`.
    static func run(_ engine: inout CorrelationEngine, alive: [DeviceID: Int64], minutes: Int64) -> [(Int64, CorrelationAction)] {
        var out: [(Int64, CorrelationAction)] = []
        for s in stride(from: Int64(0), through: minutes * 60, by: 30) {
            for (device, until) in alive.sorted(by: { $0.key < $1.key }) where s <= until {
                out += engine.handle(heartbeat(device), now: Fixture.sec(s)).map { (s, $0) }
            }
            out += engine.tick(now: Fixture.sec(s)).map { (s, $0) }
        }
        return out
    }

    @Test func supervisionStartsAtFirstCallNotEpoch() {
        var engine = Fixture.engine(directory: Fixture.supervised)
        #expect(engine.tick(now: Fixture.t0).isEmpty)
        // 3 missed intervals of 60 s plus the default 30 s grace.
        #expect(engine.tick(now: Fixture.sec(209)).isEmpty)
        #expect(engine.tick(now: Fixture.sec(210)).warningCodes.contains("device-offline"))
    }

    @Test func oneDeviceOfflineThenRestored() throws {
        var engine = Fixture.engine(directory: Fixture.supervised)
        let out = Self.run(&engine, alive: ["hub": 3600, "pir-b": 3600, "pir-a": 60], minutes: 10)
        let offline = out.filter { if case .warning(_, "device-offline", _) = $0.1 { true } else { false } }
        #expect(offline.map(\.0) == [270])  // last seen at 60 s, 3 × 60 s + 30 s grace later
        #expect(!out.map(\.1).warningCodes.contains("communication-failure"))
        let incident = engine.openIncidents.first
        #expect(incident?.priority == .trouble)
        #expect(incident?.kind == .supervision)
        #expect(out.map(\.1).dispatched.isEmpty)  // trouble is not dispatched
        let back = engine.handle(Self.heartbeat("pir-a"), now: Fixture.sec(700))
        #expect(back.warningCodes == ["device-restored"])
        // The fault incident is resolved by the device's return, with the outage.
        let resolved = try #require(back.transitions.first)
        #expect(resolved.to == .closed)
        #expect(resolved.cause.hasPrefix("resolved: pir-a heard again after 7 min in fault"))
        #expect(engine.openIncidents.isEmpty)
        #expect(engine.handle(Fixture.alarm("pir-a", .test, seq: 1, site: Fixture.preschool), now: Fixture.sec(701)).effects.isEmpty)
    }

    @Test func allDevicesSilentTogetherIsCommunicationFailure() throws {
        var engine = Fixture.engine(directory: Fixture.supervised)
        let out = Self.run(&engine, alive: ["hub": 300, "pir-a": 300, "pir-b": 300], minutes: 20)
        let codes = out.map(\.1).warningCodes
        #expect(codes.filter { $0 == "device-offline" }.count == 3)
        #expect(codes.filter { $0 == "communication-failure" }.count == 1)
        let dispatched = try #require(out.map(\.1).dispatched.last)
        #expect(dispatched.priority == .tamper)
        #expect(dispatched.kind == .communicationFailure)
        // One supervision fault per device, and the communication failure.
        #expect(engine.openIncidents.map(\.kind).sorted { $0.rawValue < $1.rawValue }
            == [.communicationFailure, .supervision, .supervision, .supervision])
    }

    @Test func devicesSilentFarApartAreNotACommunicationFailure() {
        var engine = Fixture.engine(directory: Fixture.supervised)
        let out = Self.run(&engine, alive: ["hub": 60, "pir-a": 60, "pir-b": 600], minutes: 30)
        let codes = out.map(\.1).warningCodes
        #expect(codes.filter { $0 == "device-offline" }.count == 3)
        #expect(!codes.contains("communication-failure"))
    }

    @Test func anyMessageCountsAsAHeartbeat() {
        var engine = Fixture.engine(directory: Fixture.supervised)
        var codes: [String] = []
        for s in stride(from: Int64(0), through: 600, by: 60) {
            codes += engine.handle(Fixture.alarm("pir-a", .test, seq: UInt64(s / 60 + 1), site: Fixture.preschool), now: Fixture.sec(s)).warningCodes
            codes += engine.handle(Self.heartbeat("hub"), now: Fixture.sec(s)).warningCodes
            codes += engine.handle(Self.heartbeat("pir-b"), now: Fixture.sec(s)).warningCodes
        }
        #expect(codes.isEmpty)
    }
}
