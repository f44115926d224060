import Foundation
import Logging
import NIOCore
import NIOPosix
import PropertyWatchCore
import PropertyWatchDC09
import PropertyWatchMQTT
import ServiceLifecycle
import Synchronization

/// The gateway as a `Service`: binds the TCP, UDP and metrics listeners, pumps the daemon's
/// acknowledgements from MQTT to the connections, and on shutdown closes the listeners
/// before disconnecting from the broker.
struct GatewayService: Service {
    let runtime: GatewayRuntime

    func run() async throws {
        let settings = runtime.gateway.settings
        let group = MultiThreadedEventLoopGroup.singleton
        let runtime = self.runtime
        var channels: [Channel] = []
        for address in settings.tcpListen {
            let (host, port) = try Self.split(address)
            let idle = TimeAmount.seconds(Int64(settings.idleTimeoutSeconds))
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                        try channel.pipeline.syncOperations.addHandler(TCPConnectionHandler(runtime: runtime))
                    }
                }
                .bind(host: host, port: port).get()
            runtime.logger.info("dc09.listening", metadata: ["transport": "tcp", "address": "\(channel.localAddress.map { "\($0)" } ?? address)"])
            channels.append(channel)
        }
        for address in settings.udpListen {
            let (host, port) = try Self.split(address)
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UDPHandler(runtime: runtime))
                    }
                }
                .bind(host: host, port: port).get()
            runtime.logger.info("dc09.listening", metadata: ["transport": "udp", "address": "\(channel.localAddress.map { "\($0)" } ?? address)"])
            channels.append(channel)
        }
        if let address = settings.metricsListen {
            let (host, port) = try Self.split(address)
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(MetricsHandler(runtime: runtime))
                    }
                }
                .bind(host: host, port: port).get()
            runtime.logger.info("dc09.listening", metadata: ["transport": "metrics", "address": "\(address)"])
            channels.append(channel)
        }
        let stop = Atomic<Bool>(false)
        let pump = Thread { Self.pumpAcknowledgements(runtime: runtime, stop: stop) }
        pump.name = "pw-dc09.acks"
        pump.start()
        runtime.logger.info("dc09.ready", metadata: ["accounts.count": "\(settings.accounts.count)"])

        try? await gracefulShutdown()

        runtime.logger.info("dc09.stopping")
        for channel in channels { try? await channel.close() }
        stop.store(true, ordering: .relaxed)
        runtime.client.shutdown()
    }

    /// Reads acknowledgements off the MQTT inbox and hands them to the connections.
    static func pumpAcknowledgements(runtime: GatewayRuntime, stop: borrowing Atomic<Bool>) {
        let inbox = runtime.client.inbox
        while !stop.load(ordering: .relaxed) {
            guard let batch = inbox.next(until: Date(timeIntervalSinceNow: 0.5)) else { continue }
            for i in 0..<batch.count {
                let topic = batch.topic(at: i)
                let payload = batch.withPayload(at: i) { Array($0) }
                if let ack = DC09Acknowledgement.parse(topic: topic, payload: payload) {
                    runtime.deliver(ack)
                } else if topic == Topic.simulatedClock, runtime.isVirtual, let time = clockTime(payload) {
                    // The scenario runner's clock: move (never back), then confirm, as the daemon does.
                    runtime.advanceClock(to: time)
                    runtime.client.publish(topic: Self.clockAcknowledgement, payload: Array("{\"v\":1,\"time\":\(time)}".utf8), qos: 1)
                }
            }
            inbox.recycle(batch)
        }
    }

    /// Where `--virtual-clock` confirms each clock message (scenario runner only).
    static let clockAcknowledgement = Topic.simulatedClock + "/ack/dc09"

    /// The `"time"` of a clock message `{"v":1,"time":<epoch ms>}`.
    static func clockTime(_ payload: [UInt8]) -> Int64? {
        let key = Array("\"time\":".utf8)
        guard payload.count < 256, let start = payload.firstRange(of: key)?.upperBound else { return nil }
        var value: Int64 = 0
        var i = start
        while i < payload.count, payload[i] >= 48, payload[i] <= 57, i - start < 16 {
            value = value * 10 + Int64(payload[i] - 48)
            i += 1
        }
        return i > start ? value : nil
    }

    static func split(_ address: String) throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw GatewayError.badAddress(address)
        }
        return (String(address[..<colon]), port)
    }
}

enum GatewayError: Error, CustomStringConvertible {
    case badAddress(String)

    var description: String {
        switch self {
        case .badAddress(let a): "'\(a)' is not host:port"
        }
    }
}
