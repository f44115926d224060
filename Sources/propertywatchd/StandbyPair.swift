import PropertyWatchConfig

/// This daemon's place in an active/standby pair, from `ha:` and `--node`: its node name
/// and its broker settings (each node has its own client id, so its own persistent session).
struct StandbyPair {
    let enabled: Bool
    let node: String?
    let broker: BrokerSettings

    init(_ ha: HASettings, broker: BrokerSettings) throws {
        guard ha.enabled else {
            enabled = false
            node = nil
            self.broker = broker
            return
        }
        guard let node = ha.node, !node.isEmpty else {
            throw ConfigurationError(file: "configuration", key: "ha.node", reason: "ha.enabled needs a node name: set ha.node or pass --node")
        }
        enabled = true
        self.node = node
        var broker = broker
        broker.clientID = "\(broker.clientID)-\(node)"
        self.broker = broker
    }
}
