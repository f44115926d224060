/// How an `MQTTClient` connects, what it subscribes to, and how it announces itself.
public struct MQTTConfiguration: Sendable {
    /// A message published by the client itself: the last will, or the on-connect status.
    public struct Announcement: Sendable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int32
        public var retain: Bool

        public init(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// TLS settings; setting a CA file turns TLS on.
    public struct TLS: Sendable {
        public var caFile: String
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    public var host: String
    public var port: Int32
    public var clientID: String
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var keepaliveSeconds: Int32
    /// `false` (the default) asks the broker for a persistent session, so QoS 1 messages
    /// queue there while the client is away or not reading.
    public var cleanSession: Bool
    /// Topic filters subscribed at QoS 1 on every (re)connect.
    public var subscriptions: [String]
    /// Published by the broker if the client disappears.
    public var will: Announcement?
    /// Published by the client on every successful connect.
    public var onConnect: Announcement?
    public var reconnectMinSeconds: Double
    public var reconnectMaxSeconds: Double
    /// Inbound hand-off: this many batches of at most `batchMessages` messages / `batchBytes`
    /// bytes exist at all; when all are full the client stops reading from the socket.
    public var batchCount: Int
    public var batchMessages: Int
    public var batchBytes: Int
    /// At most this many QoS 1 publishes are handed to libmosquitto at once; the rest wait in
    /// the client's queue. `mosquitto_loop_read` reads as many packets per call as libmosquitto
    /// has QoS > 0 messages queued, so this also bounds how far a receive batch can overrun.
    public var maxInflight: Int = 64
    /// At most this many QoS 0 publishes wait for the network thread; beyond it the oldest is
    /// dropped (and counted).
    public var maxQueuedBestEffort: Int = 16_384

    public init(
        host: String = "127.0.0.1", port: Int32 = 1883, clientID: String,
        username: String? = nil, password: String? = nil, tls: TLS? = nil,
        keepaliveSeconds: Int32 = 30, cleanSession: Bool = false, subscriptions: [String] = [],
        will: Announcement? = nil, onConnect: Announcement? = nil,
        reconnectMinSeconds: Double = 0.5, reconnectMaxSeconds: Double = 30,
        batchCount: Int = 8, batchMessages: Int = 2048, batchBytes: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.username = username
        self.password = password
        self.tls = tls
        self.keepaliveSeconds = keepaliveSeconds
        self.cleanSession = cleanSession
        self.subscriptions = subscriptions
        self.will = will
        self.onConnect = onConnect
        self.reconnectMinSeconds = reconnectMinSeconds
        self.reconnectMaxSeconds = reconnectMaxSeconds
        self.batchCount = batchCount
        self.batchMessages = batchMessages
        self.batchBytes = batchBytes
    }
}
