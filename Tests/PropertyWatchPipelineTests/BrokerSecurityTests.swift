import Foundation
import Logging
import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchTestSupport
import Testing

/// The deployment's broker security against a real Mosquitto with TLS, passwords and the ACL
/// `BrokerACL` renders (as `deploy/mosquitto/` sets it up), with certificates made by the test.
@Suite("Broker security: TLS, per-device credentials, ACLs (real Mosquitto)")
struct BrokerSecurityTests {
    /// The fixture's school and a second site, Brohuset, with a camera.
    static let configuration: WatchConfiguration = {
        var configuration = PipelineFixture.configuration
        configuration.sites.append(SiteConfiguration(
            id: "brohuset", name: "Brohuset", kind: .civic, address: "Torget 1, Bro",
            location: Coordinate(latitude: 59.51, longitude: 17.63),
            zones: [ZoneConfiguration(id: "entre", name: "Entré")],
            devices: [
                DeviceConfiguration(id: "pir-1", kind: .pir, zone: "entre"),
                DeviceConfiguration(id: "cam-1", kind: .camera, zone: "entre"),
            ]))
        return configuration
    }()

    /// A fresh password per client and test (generated, never stored).
    let passwords: [String: String] = {
        var users = ["propertywatchd"]
        for site in BrokerSecurityTests.configuration.sites {
            for device in site.devices { users.append(BrokerACL.username(site: site.id, device: device.id)) }
        }
        users += BrokerSecurityTests.configuration.patrol.units.map { BrokerACL.username(unit: $0.id) }
        return Dictionary(uniqueKeysWithValues: users.map { ($0, UUID().uuidString) })
    }()

    func broker() throws -> SecureTestBroker {
        try SecureTestBroker(acl: BrokerACL.render(Self.configuration, daemonUsername: "propertywatchd"), passwords: passwords)
    }

    func connect(
        _ broker: SecureTestBroker, user: String?, password: String? = nil, caFile: String? = nil,
        subscriptions: [String] = [], waiter: ConnectionWaiter
    ) throws -> MQTTClient {
        var configuration = MQTTConfiguration(
            port: broker.port, clientID: TestEnvironment.uniqueName("sec"), username: user,
            password: password ?? user.flatMap { passwords[$0] }, tls: .init(caFile: caFile ?? broker.caFile),
            cleanSession: true, subscriptions: subscriptions, reconnectMinSeconds: 5, reconnectMaxSeconds: 5)
        configuration.maxInflight = 16
        let client = try MQTTClient(configuration: configuration, logger: Logger(label: "test.security"), onStateChange: waiter.handler)
        client.start()
        return client
    }

    /// Publishes at QoS 1 and waits for the broker's PUBACK (which MQTT 3.1.1 brokers send
    /// even for a publish the ACL refuses: refused ones are dropped, not delivered).
    func publish(_ client: MQTTClient, _ topic: String, _ payload: String, token: Int64) -> Bool {
        client.publish(topic: topic, payload: Array(payload.utf8), qos: 1, retain: false, confirmationToken: token)
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if client.waitForConfirmations(until: deadline).contains(token) { return true }
        }
        return false
    }

    @Test func theRightCAConnectsAndAWrongCAIsRefused() throws {
        let broker = try broker()
        let good = ConnectionWaiter()
        let daemon = try connect(broker, user: "propertywatchd", subscriptions: BrokerACL.daemonReads, waiter: good)
        #expect(good.wait(for: .subscribed))
        daemon.shutdown()

        let bad = ConnectionWaiter()
        let impostor = try connect(broker, user: "propertywatchd", caFile: broker.wrongCAFile, waiter: bad)
        #expect(bad.waitForDisconnect())
        #expect(!bad.wait(for: .connected, timeout: 0))
        impostor.shutdown()
    }

    @Test(arguments: [("propertywatchd", "not-the-password"), ("nobody", "whatever"), (nil, nil)] as [(String?, String?)])
    func wrongCredentialsAreRefused(user: String?, password: String?) throws {
        let broker = try broker()
        let waiter = ConnectionWaiter()
        let client = try connect(broker, user: user, password: password, waiter: waiter)
        #expect(waiter.waitForDisconnect())
        #expect(!waiter.wait(for: .connected, timeout: 0))
        client.shutdown()
    }

    @Test func aDevicePublishingToAnotherSitesTopicIsRefusedByTheBroker() throws {
        let broker = try broker()
        let daemonWaiter = ConnectionWaiter()
        let daemon = try connect(broker, user: "propertywatchd", subscriptions: BrokerACL.daemonReads, waiter: daemonWaiter)
        #expect(daemonWaiter.wait(for: .subscribed))
        let deviceWaiter = ConnectionWaiter()
        let device = try connect(broker, user: "broskolan.smoke-a", waiter: deviceWaiter)
        #expect(deviceWaiter.wait(for: .connected))

        // Another site's topic, another device's topic at its own site, a daemon topic: all
        // acknowledged by the broker but refused by the ACL. Then its own topic, which passes.
        let refused = [
            "propertywatch/v1/sites/brohuset/alarms/pir-1",
            "propertywatch/v1/sites/broskolan/alarms/pir-a",
            "propertywatch/v1/units/P1/requests",
        ]
        for (i, topic) in refused.enumerated() { #expect(publish(device, topic, "{\"v\":1}", token: Int64(i + 1))) }
        #expect(publish(device, "propertywatch/v1/sites/broskolan/alarms/smoke-a", "{\"v\":1,\"own\":true}", token: 99))

        // Messages from one client arrive in order: if any refused one had been delivered,
        // it would come before the device's own.
        let batch = try #require(daemon.inbox.next(until: Date(timeIntervalSinceNow: 10)))
        #expect(batch.topic(at: 0) == "propertywatch/v1/sites/broskolan/alarms/smoke-a")
        #expect(batch.count == 1)
        daemon.inbox.recycle(batch)
        device.shutdown()
        daemon.shutdown()
    }

    @Test func theACLGivesEachClientOnlyItsOwnTopics() {
        let acl = BrokerACL.render(Self.configuration, daemonUsername: "propertywatchd")
        let blocks = acl.components(separatedBy: "\nuser ").dropFirst().map { block in
            let lines = block.split(separator: "\n").filter { !$0.hasPrefix("#") }
            return (user: String(lines[0]), rules: Set(lines.dropFirst().map(String.init)))
        }
        let rules = Dictionary(uniqueKeysWithValues: blocks.map { ($0.user, $0.rules) })
        #expect(rules["brohuset.cam-1"] == [
            "topic write propertywatch/v1/sites/brohuset/cameras/cam-1",
            "topic write propertywatch/v1/sites/brohuset/heartbeats/cam-1",
            "topic read propertywatch/v1/sites/brohuset/acks/cam-1",
        ])
        #expect(rules["unit.P1"]?.contains("topic read propertywatch/v1/units/P1/requests") == true)
        #expect(rules["unit.P1"]?.contains { $0.contains("P2") } == false)
        // The daemon reads every inbound topic and writes nothing inbound.
        #expect(Topic.subscriptions.allSatisfy { rules["propertywatchd"]?.contains("topic read \($0)") == true })
        #expect(rules["propertywatchd"]?.contains { $0.hasPrefix("topic write") && $0.contains("/alarms/") } == false)
        #expect(!acl.contains("#\n") && !acl.contains("topic readwrite"))
    }
}
