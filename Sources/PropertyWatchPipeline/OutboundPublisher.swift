import PropertyWatchMQTT

/// Where the pipeline sends what it publishes. `MQTTClient` is the production one.
public protocol OutboundPublisher: Sendable {
    func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?)
    /// Outbox ids whose publishes the broker has acknowledged since the last call.
    func takeConfirmations() -> [Int64]
    /// QoS 1 publishes accepted by `publish` and not yet on their way to the broker.
    var queuedReliable: Int { get }
    /// At shutdown, after the last publishes: the confirmations still to be had, waiting at
    /// most `timeoutMilliseconds` for them.
    func finalConfirmations(timeoutMilliseconds: Int) -> [Int64]
}

extension OutboundPublisher {
    /// By default what has arrived: once reading has stopped no acknowledgement arrives.
    public func finalConfirmations(timeoutMilliseconds: Int) -> [Int64] { takeConfirmations() }
}

extension MQTTClient: OutboundPublisher {}
