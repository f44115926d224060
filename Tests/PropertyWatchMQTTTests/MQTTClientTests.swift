import CMosquitto
import Foundation
import Logging
import PropertyWatchMQTT
import PropertyWatchTestSupport
import Testing

@Suite("MQTT client against a real Mosquitto")
struct MQTTClientTests {
    private func makeClient(
        port: Int32, filters: [String], waiter: ConnectionWaiter, batches: Int = 8, messages: Int = 2048,
        will: MQTTConfiguration.Announcement? = nil, onConnect: MQTTConfiguration.Announcement? = nil,
        clientID: String = TestEnvironment.uniqueName("client")
    ) throws -> MQTTClient {
        var configuration = MQTTConfiguration(
            port: port, clientID: clientID, subscriptions: filters, will: will, onConnect: onConnect,
            reconnectMinSeconds: 0.05, reconnectMaxSeconds: 0.2,
            batchCount: batches, batchMessages: messages)
        configuration.keepaliveSeconds = 5
        return try MQTTClient(configuration: configuration, logger: Logger(label: "test"), onStateChange: waiter.handler)
    }

    private func receive(_ client: MQTTClient, count: Int, timeout: Double = 10) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while out.count < count, let batch = client.inbox.next(until: deadline) {
            for i in 0..<batch.count {
                out.append((batch.topic(at: i), batch.withPayload(at: i) { Array($0) }))
            }
            client.inbox.recycle(batch)
        }
        return out
    }

    @Test func receivesExactBytesInOrder() throws {
        let broker = try TestBroker.shareable()
        let root = TestEnvironment.uniqueName("t")
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: broker.port, filters: ["\(root)/#"], waiter: waiter)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        let publisher = try TestPublisher(port: broker.port)
        let binary: [UInt8] = [0, 255, 10, 13, 0x7B]
        publisher.client.publish(topic: "\(root)/a", payload: binary, qos: 1)
        publisher.client.publish(topic: "\(root)/b", payload: [], qos: 1)
        publisher.client.publish(topic: "\(root)/c/ü", payload: Array("hej".utf8), qos: 1)
        let got = receive(client, count: 3)
        #expect(got.map(\.0) == ["\(root)/a", "\(root)/b", "\(root)/c/ü"])
        #expect(got.map(\.1) == [binary, [], Array("hej".utf8)])
        #expect(client.receivedCount == 3)
    }

    @Test func confirmsPublishesAfterPuback() throws {
        let broker = try TestBroker.shareable()
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: broker.port, filters: [], waiter: waiter)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        client.publish(topic: "x/1", payload: [1], qos: 1, retain: false, confirmationToken: 41)
        client.publish(topic: "x/2", payload: [2], qos: 1, retain: false, confirmationToken: 42)
        var confirmed: Set<Int64> = []
        let deadline = Date(timeIntervalSinceNow: 10)
        while confirmed.count < 2 && Date() < deadline {
            confirmed.formUnion(client.waitForConfirmations(until: deadline))
        }
        #expect(confirmed == [41, 42])
    }

    @Test func qos0PublishesPassAFullInFlightWindow() throws {
        let broker = try TestBroker(persistent: false)
        let root = TestEnvironment.uniqueName("t")
        let subscriber = try TestSubscriber(port: broker.port, filters: ["\(root)/#"])
        let waiter = ConnectionWaiter()
        var configuration = MQTTConfiguration(port: broker.port, clientID: TestEnvironment.uniqueName("client"))
        configuration.maxInflight = 1
        let client = try MQTTClient(configuration: configuration, logger: Logger(label: "test"), onStateChange: waiter.handler)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        broker.pause()
        client.publish(topic: "\(root)/a", payload: [1], qos: 1, retain: false, confirmationToken: 1)
        client.publish(topic: "\(root)/b", payload: [2], qos: 1, retain: false, confirmationToken: 2)
        client.publish(topic: "\(root)/c", payload: [3], qos: 0, retain: false, confirmationToken: 3)
        // A QoS 0 token is confirmed when the message goes to the socket: C goes out although
        // A holds the only in-flight slot and B waits for it.
        #expect(client.waitForConfirmations(until: Date(timeIntervalSinceNow: 10)) == [3])
        #expect(client.queuedReliable == 1)
        broker.resume()
        var confirmed: Set<Int64> = []
        let deadline = Date(timeIntervalSinceNow: 10)
        while confirmed.count < 2 && Date() < deadline { confirmed.formUnion(client.waitForConfirmations(until: deadline)) }
        #expect(confirmed == [1, 2])
        #expect(client.queuedReliable == 0)
        let topics = Set((0..<3).compactMap { _ in subscriber.next(timeout: 10)?.topic })
        #expect(topics == ["\(root)/a", "\(root)/b", "\(root)/c"])
    }

    @Test func confirmsEveryPublishEvenWhenMessageIDsWrap() throws {
        let broker = try TestBroker.shareable()
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: broker.port, filters: [], waiter: waiter)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        // More than 65,535 queued publishes: libmosquitto's 16-bit message ids repeat.
        let count = 70_000
        let topic = "\(TestEnvironment.uniqueName("wrap"))/m"
        for token in 0..<count {
            client.publish(topic: topic, payload: [1], qos: 1, retain: false, confirmationToken: Int64(token))
        }
        var confirmed: Set<Int64> = []
        let deadline = Date(timeIntervalSinceNow: 60)
        while confirmed.count < count && Date() < deadline {
            confirmed.formUnion(client.waitForConfirmations(until: deadline))
        }
        #expect(confirmed.count == count)
    }

    @Test func announcesOnlineOnConnectAndOfflineOnShutdown() throws {
        let broker = try TestBroker.shareable()
        let statusTopic = "\(TestEnvironment.uniqueName("s"))/status"
        let waiter = ConnectionWaiter()
        let client = try makeClient(
            port: broker.port, filters: [], waiter: waiter,
            will: .init(topic: statusTopic, payload: Array("offline".utf8)),
            onConnect: .init(topic: statusTopic, payload: Array("online".utf8)))
        client.start()
        #expect(waiter.wait(for: .subscribed))
        let watcher = try TestSubscriber(port: broker.port, filters: [statusTopic])
        #expect(watcher.next()?.payload == "online")
        client.shutdown()
        #expect(watcher.next()?.payload == "offline")
        // Retained: a newcomer sees the last state.
        let late = try TestSubscriber(port: broker.port, filters: [statusTopic])
        #expect(late.next()?.payload == "offline")
    }

    @Test func lastWillIsPublishedWhenTheConnectionDies() throws {
        let broker = try TestBroker.shareable()
        let statusTopic = "\(TestEnvironment.uniqueName("w"))/status"
        let watcher = try TestSubscriber(port: broker.port, filters: [statusTopic])
        // A child process connects with a will, proves it is connected by publishing a line,
        // and is killed with SIGKILL.
        let child = try ChildProcess(
            "/usr/bin/mosquitto_pub",
            ["-p", "\(broker.port)", "-t", statusTopic, "-l", "-q", "1",
             "--will-topic", statusTopic, "--will-payload", "offline", "--will-retain", "--will-qos", "1"],
            pipeInput: true)
        child.standardInput?.write(Data("alive\n".utf8))
        #expect(watcher.next()?.payload == "alive")
        child.send(SIGKILL)
        child.waitForExit()
        #expect(watcher.next(timeout: 15)?.payload == "offline")
    }

    @Test func reconnectsAndResubscribesAfterBrokerRestart() throws {
        let broker = try TestBroker(persistent: true)
        let root = TestEnvironment.uniqueName("r")
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: broker.port, filters: ["\(root)/#"], waiter: waiter)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        broker.stop()
        #expect(waiter.waitForDisconnect())
        try broker.start()
        #expect(waiter.wait(for: .subscribed, count: 2, timeout: 15))
        let publisher = try TestPublisher(port: broker.port)
        #expect(publisher.publish("\(root)/after", "back"))
        let got = receive(client, count: 1)
        #expect(got.first?.0 == "\(root)/after")
    }

    @Test func persistentSessionQueuesWhileAway() throws {
        let broker = try TestBroker(persistent: true)
        let root = TestEnvironment.uniqueName("q")
        let id = TestEnvironment.uniqueName("persistent")
        let first = ConnectionWaiter()
        var client = try makeClient(port: broker.port, filters: ["\(root)/#"], waiter: first, clientID: id)
        client.start()
        #expect(first.wait(for: .subscribed))
        client.shutdown()
        let publisher = try TestPublisher(port: broker.port)
        for i in 0..<20 { #expect(publisher.publish("\(root)/m", "\(i)")) }
        let second = ConnectionWaiter()
        client = try makeClient(port: broker.port, filters: ["\(root)/#"], waiter: second, clientID: id)
        client.start()
        defer { client.shutdown() }
        let got = receive(client, count: 20)
        #expect(got.map { String(decoding: $0.1, as: UTF8.self) } == (0..<20).map(String.init))
    }

    @Test func stopsReadingWhenTheConsumerFallsBehindAndLosesNothing() throws {
        let broker = try TestBroker.shareable()
        let root = TestEnvironment.uniqueName("bp")
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: broker.port, filters: ["\(root)/#"], waiter: waiter, batches: 2, messages: 10)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.wait(for: .subscribed))
        let publisher = try TestPublisher(port: broker.port)
        let total = 500
        for i in 0..<total {
            publisher.client.publish(topic: "\(root)/m", payload: Array("\(i)".utf8), qos: 1)
        }
        #expect(client.inbox.waitUntilStalled(until: Date(timeIntervalSinceNow: 10)))
        let got = receive(client, count: total, timeout: 20)
        #expect(got.count == total)
        #expect(got.map { String(decoding: $0.1, as: UTF8.self) } == (0..<total).map(String.init))
        #expect(client.inbox.stallCount >= 1)
    }

    @Test func errorsCarryTheLibraryMessage() {
        let error = MQTTError(code: Int32(MOSQ_ERR_NO_CONN.rawValue), operation: "publish")
        #expect(error.message == String(cString: mosquitto_strerror(Int32(MOSQ_ERR_NO_CONN.rawValue))))
        #expect(error.description.hasPrefix("publish: "))
    }

    @Test func reportsConnectFailuresAndKeepsTrying() throws {
        let port = try TestBroker(persistent: false).port  // released: nothing listens there now
        let waiter = ConnectionWaiter()
        let client = try makeClient(port: port, filters: [], waiter: waiter)
        client.start()
        defer { client.shutdown() }
        #expect(waiter.waitForDisconnect())
    }
}
