import Testing
@testable import PropertyWatchCore

@Suite struct VerificationTests {
    struct Sequential: Sendable, CustomStringConvertible {
        var second: DeviceID
        var after: Int64  // ms
        var verified: Bool
        var description: String { "\(second) after \(after) ms" }
    }

    /// The window is inclusive: 30:00 verifies, 30:00.001 does not.
    @Test(arguments: [
        Sequential(second: "pir-2", after: 0, verified: true),
        Sequential(second: "pir-2", after: 29 * 60_000 + 59_999, verified: true),
        Sequential(second: "pir-2", after: 30 * 60_000, verified: true),
        Sequential(second: "pir-2", after: 30 * 60_000 + 1, verified: false),
        Sequential(second: "pir-1", after: 60_000, verified: false),  // same detector again
    ])
    func sequentialVerification(_ c: Sequential) throws {
        var engine = Fixture.engine()
        let first = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0)
        #expect(first.dispatched.map(\.priority) == [.unverifiedIntrusion])
        let second = engine.handle(Fixture.alarm(c.second, seq: 2), now: Fixture.at(c.after))
        if c.verified {
            let incident = try #require(second.dispatched.first)
            #expect(incident.priority == .verifiedIntrusion)
            #expect(incident.verification == .sequential)
            #expect(incident.id == first.dispatched.first?.id)
            #expect(second.transitions.first?.cause.hasPrefix("priority raised to verified-intrusion") == true)
        } else {
            #expect(second.dispatched.allSatisfy { $0.priority == .unverifiedIntrusion })
        }
    }

    struct Video: Sendable, CustomStringConvertible {
        var cameraFirst: Bool
        var gap: Int64  // ms between the two
        var camera: DeviceID = "cam-1"
        var label: ObjectLabel = .person
        var alarmDevice: DeviceID = "pir-1"
        var verified: Bool
        var description: String { "\(label) \(camera) \(cameraFirst ? "before" : "after") \(alarmDevice) by \(gap) ms" }
    }

    @Test(arguments: [
        Video(cameraFirst: false, gap: 0, verified: true),
        Video(cameraFirst: false, gap: 120_000, verified: true),
        Video(cameraFirst: false, gap: 120_001, verified: false),
        Video(cameraFirst: true, gap: 60_000, verified: true),
        Video(cameraFirst: true, gap: 120_000, verified: true),
        Video(cameraFirst: true, gap: 120_001, verified: false),
        Video(cameraFirst: false, gap: 1_000, label: .vehicle, verified: true),
        Video(cameraFirst: false, gap: 1_000, label: .motion, verified: false),
        Video(cameraFirst: true, gap: 1_000, label: .motion, verified: false),
        Video(cameraFirst: false, gap: 1_000, camera: "cam-2", verified: false),       // sees the yard only
        Video(cameraFirst: false, gap: 1_000, alarmDevice: "pir-2", verified: false),   // gym not covered
    ])
    func videoVerification(_ c: Video) {
        var engine = Fixture.engine()
        var actions: [CorrelationAction] = []
        let cam = Fixture.camera(c.camera, c.label, id: "trk", snapshot: "clips/1.jpg")
        if c.cameraFirst {
            actions += engine.handle(cam, now: Fixture.t0)
            actions += engine.handle(Fixture.alarm(c.alarmDevice, seq: 1), now: Fixture.at(c.gap))
        } else {
            actions += engine.handle(Fixture.alarm(c.alarmDevice, seq: 1), now: Fixture.t0)
            actions += engine.handle(cam, now: Fixture.at(c.gap))
        }
        let last = engine.openIncidents.last
        if c.verified {
            #expect(last?.priority == .verifiedIntrusion)
            #expect(last?.verification == .video)
            #expect(last?.snapshot == "clips/1.jpg")
            #expect(actions.dispatched.last?.verification == .video)
        } else {
            #expect(engine.openIncidents.allSatisfy { $0.priority == .unverifiedIntrusion && $0.verification == .none })
        }
    }

    @Test func doorAlarmVerifiedThroughLinkedZone() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.camera("cam-1", id: "trk"), now: Fixture.t0)
        _ = engine.handle(Fixture.alarm("door-1", seq: 1), now: Fixture.sec(1))
        let actions = engine.tick(now: Fixture.sec(31))  // after the door's restore-cancel delay
        #expect(actions.dispatched.map(\.verification) == [.video])
    }

    /// No behaviour hangs on a site's kind: a person seen at an armed civic building is an
    /// observation record, unless the zone is a camera alarm zone or the site says so.
    @Test(arguments: [
        (CameraDetectionPolicy.observation, false, false),
        (CameraDetectionPolicy.observation, true, true),
        (CameraDetectionPolicy.incident, false, true),
    ])
    func cameraDetectionWhileArmed(policy: CameraDetectionPolicy, alarmZone: Bool, incident: Bool) throws {
        var rules = CorrelationRules()
        rules.cameraDetection = policy
        var config = Fixture.directory.configuration
        let broIndex = try #require(config.sites.firstIndex { $0.id == Fixture.brohuset })
        let plazaIndex = try #require(config.sites[broIndex].zones.firstIndex { $0.id == "plaza" })
        config.sites[broIndex].zones[plazaIndex].cameraAlarm = alarmZone
        var engine = Fixture.engine(.alwaysClosed, rules: rules, directory: SiteDirectory(config))
        let actions = engine.handle(Fixture.camera("cam-b", id: "f1", zones: ["plaza"], site: Fixture.brohuset), now: Fixture.t0)
        #expect(actions.verdicts == [incident ? .dispatched : .observation])
        if incident {
            let opened = try #require(actions.dispatched.first)
            #expect(opened.kind == .cameraAlarm)
            #expect(opened.priority == .vandalism)
            #expect(opened.verification == .video)
            #expect(opened.snapshot == "snap.jpg")
        } else {
            #expect(actions.effects.isEmpty)
            #expect(engine.openIncidents.isEmpty)
        }
    }

    @Test func cameraWhileOpenIsAnObservation() {
        var open = Fixture.engine(.alwaysOpen, rules: { var r = CorrelationRules(); r.cameraDetection = .incident; return r }())
        let actions = open.handle(Fixture.camera("cam-b", id: "f1", site: Fixture.brohuset), now: Fixture.t0)
        #expect(actions.effects.isEmpty)
        #expect(actions.verdicts == [.observation])
        var school = Fixture.engine(.alwaysClosed)
        #expect(school.handle(Fixture.camera("cam-b", .motion, id: "f2", site: Fixture.brohuset), now: Fixture.t0).isEmpty)
    }

    @Test func recordOnlyUnverifiedWaitsForVerification() throws {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = UnverifiedIntrusionPolicy(action: .record)
        var engine = Fixture.engine(rules: rules)
        let lone = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0)
        #expect(lone.dispatched.isEmpty)
        #expect(lone.transitions.map(\.to) == [.new])
        let verified = engine.handle(Fixture.alarm("pir-2", seq: 1), now: Fixture.sec(60))
        #expect(verified.dispatched.map(\.priority) == [.verifiedIntrusion])
        // Verified: the window's end does not close it.
        #expect(engine.tick(now: Fixture.sec(3600)).transitions.isEmpty)

        var other = Fixture.engine(rules: rules)
        _ = other.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0)
        #expect(other.tick(now: Fixture.sec(30 * 60 - 1)).isEmpty)
        let expired = other.tick(now: Fixture.sec(30 * 60))
        #expect(expired.transitions.map(\.to) == [.closed])
        #expect(expired.transitions.first?.cause == "not verified within 30 min")
        #expect(other.openIncidents.isEmpty)
    }
}
