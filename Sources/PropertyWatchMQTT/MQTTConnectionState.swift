/// What the network thread reports about the connection.
public enum MQTTConnectionState: Sendable, Equatable {
    case connecting
    /// CONNACK received; subscriptions may still be pending.
    case connected
    /// Every subscription acknowledged by the broker: messages flow.
    case subscribed
    case disconnected(reason: String)
    case stopped
}
