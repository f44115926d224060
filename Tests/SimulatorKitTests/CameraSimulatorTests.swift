import PropertyWatchCore
import Testing
@testable import SimulatorKit

@Suite struct CameraSimulatorTests {
    typealias F = SimulatorFixture

    @Test func frigateFormatUsesTheMappingsCameraAndZoneNames() throws {
        var cameras = CameraSimulator(configuration: F.configuration)
        let now = F.wednesdayEvening
        let messages = try cameras.trigger(
            site: "brohuset", camera: "cam-entre-torget", label: .person, zones: ["entre-torget", "torget"],
            format: .frigate, now: now, stamp: now)
        let message = try #require(messages.first)
        #expect(message.topic == "frigate/events")
        #expect(message.text.contains("\"camera\":\"brohuset_entre_torget\""))
        #expect(message.text.contains("\"current_zones\":[\"entre_torget\",\"torget\"]"))
        let decoded = try #require(F.decode(message))
        guard case .camera(let trigger) = decoded else { Issue.record("expected a camera trigger, got \(decoded)"); return }
        #expect(trigger.site == "brohuset" && trigger.camera == "cam-entre-torget")
        #expect(trigger.zones == ["entre-torget", "torget"])
        #expect(trigger.label == .person && trigger.phase == .new)
    }

    @Test func defaultZonesGoOutUnderTheirFrigateNames() throws {
        var cameras = CameraSimulator(configuration: F.configuration)
        let now = F.wednesdayEvening
        let message = try #require(try cameras.trigger(
            site: "brohuset", camera: "cam-torget", label: .vehicle, format: .frigate, now: now, stamp: now).first)
        #expect(message.text.contains("\"camera\":\"brohuset_torget\""))
        #expect(message.text.contains("\"current_zones\":[\"torget_bankar\"]"))
        #expect(message.text.contains("\"label\":\"car\""))
        let ended = cameras.tick(now: now + .seconds(30), stamp: now + .seconds(30))
        #expect(ended.count == 1 && ended[0].text.contains("\"type\":\"end\""))
    }

    @Test func camerasWithoutAFrigateNameAreRefused() {
        var cameras = CameraSimulator(configuration: F.configuration)
        #expect(throws: CameraSimulator.Failure.notMappedForFrigate("broskolan", "cam-entre")) {
            try cameras.trigger(site: "broskolan", camera: "cam-entre", label: .person, format: .frigate,
                                now: F.wednesdayEvening, stamp: F.wednesdayEvening)
        }
    }
}
