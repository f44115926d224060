import PropertyWatchMQTT

/// Where the pipeline sends what it publishes. `MQTTClient` is the production one.
public protocol OutboundPublisher: Sendable {
    func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?)
    /// Outbox ids whose publishes the broker has acknowledged since the last call.
    func takeConfirmations() -> [Int64]
    /// QoS 1 publishes accepted by `publish` and not yet on their way to the broker.
    var queuedReliable: Int { get }
}

extension MQTTClient: OutboundPublisher {}
