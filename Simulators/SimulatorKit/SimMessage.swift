import PropertyWatchCore

/// One MQTT message a simulator wants published.
public struct SimMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]

    public init(topic: String, payload: [UInt8]) {
        self.topic = topic
        self.payload = payload
    }

    /// An inbound contract message, encoded as a device or unit would publish it.
    public init(_ message: InboundMessage) {
        self.init(topic: MessageEncoder.topic(for: message), payload: MessageEncoder.encode(message))
    }

    public var text: String { String(decoding: payload, as: UTF8.self) }
}
