import ArgumentParser
import Logging
import PropertyWatchCommandLine
import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchDC09
import PropertyWatchMQTT
import ServiceLifecycle

/// `pw-dc09`: the SIA DC-09 gateway. Panels in over TCP and UDP, events out to the daemon
/// over MQTT, and an ACK to the panel only once the daemon has journaled the event.
@main
struct PWDC09: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pw-dc09", abstract: "SIA DC-09 receiver: ACKs a panel only once PropertyWatch has journaled the event.",
        discussion: "--config is the daemon's configuration file, with a dc09: section.")

    @OptionGroup var options: ConfigurationOptions

    @Flag(name: .long, help: "Check the configuration and the key files, then exit.")
    var validate = false

    @Flag(name: .long, help: "Judge frames by the time on propertywatch/v1/sim/clock (scenario runner only; never in production).")
    var virtualClock = false

    func run() async throws {
        let loaded = try options.load()
        let config = options.config
        guard let settings = loaded.dc09 else {
            print("error: \(config): dc09: the configuration has no dc09: section")
            throw ExitCode(78)
        }
        var accounts: [DC09Account] = []
        var keyErrors: [ConfigurationError] = []
        for (i, a) in settings.accounts.enumerated() {
            var cipher: DC09Cipher?
            if let path = a.keyFile {
                switch KeyFile.load(path) {
                case .success(let key): cipher = DC09Cipher(key: key)
                case .failure(let e):
                    keyErrors.append(ConfigurationError(file: config, line: a.line, key: "dc09.accounts[\(i)].key_file", reason: "\(path): \(e)"))
                }
            }
            accounts.append(DC09Account(settings: a, cipher: cipher))
        }
        guard keyErrors.isEmpty else {
            for error in keyErrors { print("error: \(error)") }
            throw ExitCode(78)
        }
        if validate {
            print("\(config): OK (\(accounts.count) DC-09 accounts)")
            return
        }
        ConfigurationOptions.bootstrapLogging(loaded)
        let logger = Logger(label: "pw-dc09")
        let broker = loaded.daemon.broker
        var password: String?
        if let file = broker.passwordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                print("error: \(file): cannot read the broker password file")
                throw ExitCode(78)
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var seen: Set<String> = []
        let subscriptions = settings.accounts.map { Topic.acknowledgement(site: $0.site, device: $0.device) }.filter { seen.insert($0).inserted }
            + (virtualClock ? [Topic.simulatedClock] : [])
        let flag = BrokerFlag()
        let mqtt = MQTTConfiguration(
            host: broker.host, port: Int32(broker.port), clientID: String((broker.clientID + "-dc09").suffix(23)),
            username: broker.username, password: password,
            tls: broker.tlsCAFile.map { .init(caFile: $0, certFile: broker.tlsCertFile, keyFile: broker.tlsKeyFile) },
            keepaliveSeconds: Int32(broker.keepaliveSeconds), cleanSession: true, subscriptions: subscriptions,
            reconnectMinSeconds: Double(broker.reconnectMinSeconds), reconnectMaxSeconds: Double(broker.reconnectMaxSeconds),
            batchCount: 4, batchMessages: 1024, batchBytes: 1 << 18)
        let client = try MQTTClient(configuration: mqtt, logger: Logger(label: "pw-dc09.mqtt")) { state in
            let up = state == .subscribed
            if flag.up.exchange(up, ordering: .relaxed) != up {
                // Frames are read only while the daemon's acknowledgements can reach the gateway.
                if up { logger.info("dc09.broker.up") } else { logger.warning("dc09.broker.down", metadata: ["broker.state": "\(state)"]) }
            }
        }
        let runtime = GatewayRuntime(gateway: DC09Gateway(settings: settings, accounts: accounts), client: client, broker: flag, logger: logger, virtualClock: virtualClock)
        logger.info("dc09.starting", metadata: ["config.path": "\(config)", "accounts.count": "\(accounts.count)"])
        if virtualClock { logger.warning("dc09.virtual.clock", metadata: ["clock.topic": "\(Topic.simulatedClock)"]) }
        client.start()
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: GatewayService(runtime: runtime))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("dc09.stopped")
    }
}
