import Testing
@testable import PropertyWatchCore

/// A message's device is resolved once, by the decoder, to the directory's number; the
/// engine's slots are the same numbers, and a slot that does not match the message's ids
/// (a message built in code, or for another directory) is looked up instead of trusted.
@Suite struct DeviceResolutionTests {
    typealias F = ContractFixtures
    typealias C = Fixture

    static func decodedSlot(_ topic: String, _ payload: String, fast: Bool = true) -> DeviceSlot? {
        let result = Array(payload.utf8).withUnsafeBytes {
            F.decoder.decode(topic: topic, payload: $0, receivedAt: F.now, fastAlarms: fast)
        }
        switch result {
        case .message(.alarm(let e)): return e.slot
        case .message(.camera(let c)): return c.slot
        case .message(.heartbeat(let h)): return h.slot
        default: return nil
        }
    }

    @Test func decodedMessagesCarryTheDirectorysNumber() throws {
        let directory = F.decoder.directory
        let pir = try #require(directory.deviceIndex("pir-12", at: "brohuset"))
        let cam = try #require(directory.deviceIndex("cam-2", at: "brohuset"))
        #expect(pir != cam)
        for fast in [true, false] {
            #expect(Self.decodedSlot(F.alarmTopic, F.alarm(), fast: fast)?.index == Int32(pir), "fast path \(fast)")
            #expect(Self.decodedSlot(F.alarmTopic, F.alarm(), fast: fast)?.site == 0, "fast path \(fast)")
        }
        #expect(Self.decodedSlot("propertywatch/v1/sites/brohuset/heartbeats/pir-12", #"{"v":1,"site":"brohuset","device":"pir-12","time":1764100000000}"#)?.index == Int32(pir))
        let camera = #"{"v":1,"site":"brohuset","camera":"cam-2","zones":["entre"],"label":"person","score":0.9,"phase":"new","id":"c1","start":1764100000000}"#
        #expect(Self.decodedSlot("propertywatch/v1/sites/brohuset/cameras/cam-2", camera)?.index == Int32(cam))
    }

    /// A panel's alarm naming one of the site's zones carries the zone's number, which is the
    /// engine's zone slot; a zone slot that names another zone is looked up instead.
    @Test func aPanelsZoneIsResolvedOnceToo() throws {
        let payload = F.alarm(["device": "\"panel-1\"", "zone": "\"gym\""])
        let result = Array(payload.utf8).withUnsafeBytes {
            F.decoder.decode(topic: "propertywatch/v1/sites/brohuset/alarms/panel-1", payload: $0, receivedAt: F.now)
        }
        guard case .message(.alarm(let event)) = result else { Issue.record("\(result)"); return }
        let engine = CorrelationEngine(directory: F.decoder.directory)
        let gym = try #require(engine.tables.sites[0].zones["gym"])
        let entre = try #require(engine.tables.sites[0].zones["entre"])
        #expect(event.slot.zone == Int32(gym))
        let ref = try #require(engine.resolve(.alarm(event)))
        #expect(engine.detection(event, ref).zoneSlot == gym)
        var misnumbered = event
        misnumbered.slot = event.slot.with(zone: Int32(entre))
        #expect(engine.detection(misnumbered, ref).zoneSlot == gym)
        misnumbered.slot = event.slot.with(zone: 9_999)
        #expect(engine.detection(misnumbered, ref).zoneSlot == gym)
    }

    @Test func theSlotIsACacheNotPartOfTheValue() {
        let a = AlarmEvent(site: "s", device: "d", eventClass: .intrusion, sequence: 1, eventID: "e", deviceTime: F.now)
        var b = a
        b.slot = .numbered(device: 7, site: 1)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    /// The same alarm with its right slot, no slot, another device's slot and one out of
    /// range: the engine does the same with each.
    @Test func aWrongSlotIsLookedUpNotTrusted() throws {
        let right = try #require(C.directory.deviceIndex("pir-1", at: C.school))
        let other = try #require(C.directory.deviceIndex("pir-b", at: C.brohuset))
        var outputs: [[CorrelationAction]] = []
        let slots: [DeviceSlot] = [
            .numbered(device: right, site: 0), .unresolved, .numbered(device: other, site: 1), .numbered(device: right, site: 1),
            .numbered(device: C.directory.deviceCount + 5, site: 0), .numbered(device: right, site: 9),
        ]
        for slot in slots {
            var engine = C.engine()
            _ = engine.tick(now: C.t0)
            guard case .alarm(var event) = C.alarm("pir-1", seq: 1) else { Issue.record("not an alarm"); return }
            event.slot = slot
            outputs.append(engine.handle(.alarm(event), now: C.sec(1)))
            #expect(engine.counters.unknownDevices == 0)
        }
        #expect(!outputs[0].transitions.isEmpty)
        #expect(outputs.allSatisfy { $0 == outputs[0] })
    }

    /// A programmatic configuration may repeat ids (the loader refuses them): the first site
    /// of an id, and a site's first device of an id, count for the decoder and the engine alike.
    @Test func repeatedIdsResolveToTheFirstForEveryone() throws {
        let place = Coordinate(latitude: 59.5, longitude: 17.6)
        let directory = SiteDirectory(WatchConfiguration(sites: [
            SiteConfiguration(id: "x", name: "First", kind: .school, address: "", location: place, devices: [
                DeviceConfiguration(id: "a", kind: .pir, zone: "z1"),
                DeviceConfiguration(id: "a", kind: .camera),
            ]),
            SiteConfiguration(id: "x", name: "Second", kind: .school, address: "", location: place, devices: [
                DeviceConfiguration(id: "b", kind: .pir, zone: "z2"),
            ]),
        ]))
        #expect(directory.configuration.sites.map(\.name) == ["First"])
        #expect(directory.deviceCount == 1)
        #expect(directory.device("a", at: "x")?.kind == .pir)
        #expect(directory.deviceIndex("b", at: "x") == nil)
        let decoder = MessageDecoder(directory: directory, limits: DecodingLimits())
        let payload = Array(F.alarm().utf8)
        let unknown = payload.withUnsafeBytes { decoder.decode(topic: "propertywatch/v1/sites/x/alarms/b", payload: $0, receivedAt: F.now) }
        guard case .rejected(let rejection) = unknown else { Issue.record("decoded \(unknown)"); return }
        #expect(rejection.reason == .unknownDevice)
        var engine = CorrelationEngine(directory: directory, schedule: TestSchedule.alwaysClosed)
        _ = engine.handle(C.alarm("b", seq: 1, site: "x"), now: C.sec(1))
        #expect(engine.counters.unknownDevices == 1)
        _ = engine.handle(C.alarm("a", seq: 1, site: "x"), now: C.sec(2))
        #expect(engine.counters.unknownDevices == 1)
    }
}
