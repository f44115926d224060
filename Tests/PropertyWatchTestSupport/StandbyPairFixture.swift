import Foundation
import PropertyWatchProcess

#if canImport(Glibc)
import Glibc
#endif

/// Two real `propertywatchd` processes of one active/standby pair on a real Mosquitto, with
/// one shared configuration file; each node has its own journal, client ids and log.
/// Used by the two-daemon tests and by `pw-pipeline-bench takeover`.
public final class StandbyPairFixture: @unchecked Sendable {
    // Safe: used by one test at a time.
    public static let sites = (1...8).map { "skola-\($0)" }

    public let broker: TestBroker
    public let directory: URL
    public let config: URL
    public let group: String
    public let silenceSeconds: Double
    /// The `propertywatchd` binary.
    public let executable: String

    /// A pair on `broker` (a fresh private one by default) under a fresh group.
    public init(
        broker: TestBroker? = nil, persistent: Bool = true, silenceSeconds: Double = 2, shard: (index: Int, count: Int)? = nil,
        executable: String = TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path
    ) throws {
        self.broker = try broker ?? TestBroker(persistent: persistent)
        self.silenceSeconds = silenceSeconds
        self.executable = executable
        directory = TestEnvironment.temporaryDirectory("standby")
        config = directory.appendingPathComponent("propertywatchd.yaml")
        group = TestEnvironment.uniqueName("g")
        try Self.yaml(brokerPort: self.broker.port, journal: directory.appendingPathComponent("unused.sqlite").path, group: group, silenceSeconds: silenceSeconds, shard: shard)
            .write(to: config, atomically: true, encoding: .utf8)
    }

    static func yaml(brokerPort: Int32, journal: String, group: String, silenceSeconds: Double, shard: (index: Int, count: Int)?) -> String {
        let shardKey = shard.map { ", shard: {index: \($0.index), count: \($0.count)}" } ?? ""
        let sites = Self.sites.enumerated().map { i, id in
            """
              - id: \(id)
                name: Skola \(i + 1)
                kind: school
                address: Skolvägen \(i + 1), Bro
                location: {lat: \(59.5 + Double(i) * 0.01), lon: 17.6}
                zones:
                  - {id: a, name: A-huset}
                devices:
                  - {id: smoke-a, kind: smoke, zone: a}
            """
        }.joined(separator: "\n")
        let units = Self.sites.indices.map { "    - {id: P\($0 + 1), call_sign: Väktare \($0 + 1)}" }.joined(separator: "\n")
        let unitIDs = Self.sites.indices.map { "P\($0 + 1)" }.joined(separator: ", ")
        return DaemonConfigurationYAML.connection(brokerPort: brokerPort, journal: journal) + """

            ha: {enabled: true, group: \(group), silence_seconds: \(silenceSeconds)\(shardKey)}
            sites:
            \(sites)
            patrol:
              units:
            \(units)
              shifts:
                - {id: always, units: [\(unitIDs)], weekdays: [1, 2, 3, 4, 5, 6, 7], start: "12:00", end: "11:59"}
            """
    }

    public func journal(_ node: String) -> String { directory.appendingPathComponent("journal-\(node).sqlite").path }
    public func log(_ node: String) -> String { directory.appendingPathComponent("\(node).log").path }

    /// Starts node `node`, connecting to `port` (the broker's, or a proxy's).
    public func start(_ node: String, port: Int32? = nil, httpPort: Int32 = 0) throws -> ChildProcess {
        try ChildProcess(
            executable,
            [
                "run", "--config", config.path, "--http-port", "\(httpPort)", "--node", node, "--journal", journal(node),
                "--broker-port", "\(port ?? broker.port)",
            ],
            logFile: log(node))
    }

    public static func fire(site: String, seq: Int) -> (String, String) {
        ("propertywatch/v1/sites/\(site)/alarms/smoke-a",
         #"{"v":1,"site":"\#(site)","device":"smoke-a","zone":"a","class":"fire","seq":\#(seq),"id":"\#(site)-\#(seq)","time":\#(Int64(Date().timeIntervalSince1970 * 1000))}"#)
    }

    public var leaderTopic: String { "propertywatch/v1/ha/\(group)/leader" }
    public var nodesTopic: String { "propertywatch/v1/ha/\(group)/nodes/+" }
}

/// Everything the pair publishes that a test looks at, in arrival order with arrival times.
public final class PairRecorder: @unchecked Sendable {
    // Safe: used by one test at a time.
    public struct Message {
        public var topic: String
        public var payload: String
        public var object: [String: Any]
        public var at: Date
    }

    public let subscriber: TestSubscriber
    public private(set) var messages: [Message] = []

    public init(_ fixture: StandbyPairFixture) throws {
        subscriber = try TestSubscriber(port: fixture.broker.port, filters: [
            "propertywatch/v1/units/+/requests", "propertywatch/v1/incidents/+", "propertywatch/v1/sites/+/acks/+",
            fixture.leaderTopic, fixture.nodesTopic,
        ])
    }

    /// Reads until a message satisfies `predicate` (returned) or `timeout` passes (nil).
    @discardableResult
    public func wait(timeout: Double = 15, for predicate: (Message) -> Bool) -> Message? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, let next = subscriber.next(timeout: remaining) else { return nil }
            let object = (try? JSONSerialization.jsonObject(with: Data(next.payload.utf8))) as? [String: Any] ?? [:]
            let message = Message(topic: next.topic, payload: next.payload, object: object, at: Date())
            messages.append(message)
            if predicate(message) { return message }
        }
    }

    /// Reads everything that arrives within `window` seconds.
    public func settle(_ window: Double) {
        wait(timeout: window) { _ in false }
    }

    /// Waits until node `node` reports itself active.
    @discardableResult
    public func waitForActive(_ node: String? = nil, timeout: Double = 15) -> String? {
        wait(timeout: timeout) { m in
            m.topic.contains("/nodes/") && m.object["role"] as? String == "active" && (node == nil || m.object["node"] as? String == node)
        }?.object["node"] as? String
    }

    public var requests: [Message] { messages.filter { $0.topic.hasSuffix("/requests") } }

    /// Guard requests by request id and revision: any count above 1 is a duplicate.
    public var requestCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for r in requests {
            let key = "\(r.object["request"] as? String ?? "?")#\((r.object["revision"] as? Int) ?? 1)"
            counts[key, default: 0] += 1
        }
        return counts
    }

    /// Sites with a guard request (first revision).
    public var dispatchedSites: Set<String> { Set(requests.compactMap { $0.object["site"] as? String }) }

    public var acknowledged: Set<String> {
        var all: Set<String> = []
        for m in messages where m.topic.contains("/acks/") {
            let site = m.object["site"] as? String ?? "?"
            for seq in m.object["seqs"] as? [Int] ?? [] { all.insert("\(site):\(seq)") }
        }
        return all
    }

    /// Nodes that ever reported themselves active.
    public var activeNodes: Set<String> {
        Set(messages.filter { $0.topic.contains("/nodes/") && $0.object["role"] as? String == "active" }.compactMap { $0.object["node"] as? String })
    }
}
