import PropertyWatchCore

/// Alarm panels and detectors of the configured sites: heartbeats at each supervised device's
/// interval, per-device sequence numbers, events on demand, retransmission until the daemon's
/// end-to-end acknowledgement lists the sequence, and fault modes.
///
/// Pure and deterministic: time comes in as `now` (simulation time) and `stamp` (the time the
/// messages are stamped with: the same in virtual-clock runs, the wall clock in real-time runs).
public struct PanelSimulator: Sendable {
    /// One simulated device.
    public struct Device: Sendable, Hashable {
        public var site: SiteID
        public var id: DeviceID
        public var kind: DeviceKind
        public var zone: ZoneID?
        public var heartbeat: Milliseconds?
        public var wantsAcknowledgement: Bool
        public var nextHeartbeat: Timestamp?
        public var sequence: UInt64
        public var fault: PanelFault?
        /// Sent but not yet acknowledged, by sequence.
        public var unacknowledged: [UInt64: Pending] = [:]
        /// Raised while `buffering`, in order: sent when the fault clears.
        public var buffered: [AlarmEvent] = []

        /// Cut off: nothing is sent.
        var isCutOff: Bool { fault == .silent || fault == .buffering }
    }

    /// An event waiting for its acknowledgement.
    public struct Pending: Sendable, Hashable {
        public var event: AlarmEvent
        public var lastSent: Timestamp
        public var attempts: Int
    }

    public struct Key: Sendable, Hashable {
        public var site: SiteID
        public var device: DeviceID
        public init(site: SiteID, device: DeviceID) {
            self.site = site
            self.device = device
        }
    }

    /// Devices by key, and their order (configuration order) for deterministic output.
    public private(set) var devices: [Key: Device] = [:]
    public let order: [Key]
    /// How long an unacknowledged event waits before it is sent again.
    public var retransmitAfter: Milliseconds
    /// Whether supervised devices send heartbeats.
    public var heartbeats: Bool
    /// When each flooding device sends its next alarm.
    private var nextFlood: [Key: Timestamp] = [:]
    private var rng: SplitMix64
    /// Events sent for the first time, retransmissions, and sequences acknowledged.
    public private(set) var sent = 0
    public private(set) var retransmitted = 0
    public private(set) var acknowledged = 0

    public init(
        configuration: WatchConfiguration, start: Timestamp, seed: UInt64, sequenceBase: UInt64 = 0,
        heartbeats: Bool = true, retransmitAfter: Milliseconds = .seconds(20), sites: Set<SiteID>? = nil
    ) {
        var rng = SplitMix64(seed: seed).fork("panels")
        var order: [Key] = []
        for site in configuration.sites where sites?.contains(site.id) ?? true {
            for device in site.devices where device.kind != .camera {
                let key = Key(site: site.id, device: device.id)
                let interval = device.heartbeatSeconds.map { Milliseconds.seconds(Int64($0)) }
                // Spread the first heartbeats over one interval so panels do not beat in step.
                let phase = interval.map { Milliseconds(Int64(rng.next() % UInt64(max($0.value, 1)))) }
                devices[key] = Device(
                    site: site.id, id: device.id, kind: device.kind, zone: device.zone, heartbeat: interval,
                    wantsAcknowledgement: device.wantsAcknowledgement,
                    nextHeartbeat: phase.map { start + $0 }, sequence: sequenceBase)
                order.append(key)
            }
        }
        self.order = order
        self.rng = rng
        self.heartbeats = heartbeats
        self.retransmitAfter = retransmitAfter
    }

    /// The next flood alarm due (floods are sent at their own instants, not in bursts).
    public var nextDeadline: Timestamp? { nextFlood.values.min() }

    public func device(site: SiteID, device: DeviceID) -> Device? { devices[Key(site: site, device: device)] }

    /// Unacknowledged events over all devices.
    public var unacknowledgedCount: Int { devices.values.reduce(0) { $0 + $1.unacknowledged.count } }

    /// Sets or clears a device's fault from `now`.
    public mutating func setFault(_ fault: PanelFault?, site: SiteID, device: DeviceID, now: Timestamp) {
        let key = Key(site: site, device: device)
        devices[key]?.fault = fault
        if case .flood? = fault { nextFlood[key] = now } else { nextFlood[key] = nil }
    }

    /// The device reports an event now. Returns what it sends (nothing while silent).
    public mutating func raise(
        site: SiteID, device: DeviceID, eventClass: EventClass, restore: Bool = false,
        trouble: TroubleKind? = nil, code: String? = nil, panel: PanelFields = PanelFields(), now: Timestamp, stamp: Timestamp
    ) -> [SimMessage] {
        let key = Key(site: site, device: device)
        guard var d = devices[key] else { return [] }
        defer { devices[key] = d }
        if d.fault == .silent { return [] }
        d.sequence += 1
        let event = AlarmEvent(
            site: site, device: device, zone: panel.zone.map(ZoneID.init) ?? d.zone, eventClass: eventClass, isRestore: restore,
            trouble: eventClass == .trouble ? (trouble ?? panel.trouble ?? .general) : nil, sequence: d.sequence,
            eventID: "\(device)-\(d.sequence)", deviceTime: deviceTime(d, stamp), code: code,
            partition: panel.partition.map(PartitionID.init), user: panel.user.map(UserID.init))
        sent += 1
        if d.fault == .losing { return [] }
        if d.fault == .buffering {
            d.buffered.append(event)
            return []
        }
        if d.fault == .garbage { return [garbage(SimMessage(.alarm(event)))] }
        if d.wantsAcknowledgement {
            d.unacknowledged[d.sequence] = Pending(event: event, lastSent: now, attempts: 1)
        }
        return send(SimMessage(.alarm(event)), d)
    }

    /// Removes exactly the listed sequences from the device's retransmit buffer.
    public mutating func acknowledge(site: SiteID, device: DeviceID, sequences: [UInt64]) {
        let key = Key(site: site, device: device)
        guard devices[key] != nil else { return }
        for s in sequences where devices[key]?.unacknowledged.removeValue(forKey: s) != nil {
            acknowledged += 1
        }
    }

    /// Lets time pass: heartbeats due, retransmissions due, flood events.
    public mutating func tick(now: Timestamp, stamp: Timestamp) -> [SimMessage] {
        var out: [SimMessage] = []
        for key in order {
            guard var d = devices[key] else { continue }
            if !d.isCutOff, !d.buffered.isEmpty {
                // Back after an outage: the buffer goes first, with its original times.
                for event in d.buffered {
                    if d.wantsAcknowledgement {
                        d.unacknowledged[event.sequence] = Pending(event: event, lastSent: now, attempts: 1)
                    }
                    out += send(SimMessage(.alarm(event)), d)
                }
                d.buffered.removeAll()
            }
            if heartbeats, let interval = d.heartbeat, var next = d.nextHeartbeat, next <= now {
                while next <= now { next = next + interval }
                d.nextHeartbeat = next
                if !d.isCutOff {
                    let beat = SimMessage(.heartbeat(Heartbeat(site: d.site, device: d.id, deviceTime: deviceTime(d, stamp))))
                    out += d.fault == .garbage ? [garbage(beat)] : send(beat, d)
                }
            }
            if !d.isCutOff {
                for s in d.unacknowledged.keys.sorted() {
                    guard var p = d.unacknowledged[s], p.lastSent + retransmitAfter <= now else { continue }
                    p.lastSent = now
                    p.attempts += 1
                    d.unacknowledged[s] = p
                    retransmitted += 1
                    out += send(SimMessage(.alarm(p.event)), d)
                }
            }
            devices[key] = d
            if case .flood(let perMinute, let until)? = d.fault, var next = nextFlood[key] {
                let interval = Milliseconds(max(1, 60_000 / Int64(max(perMinute, 1))))
                while next <= now, next <= until {
                    out += raise(site: d.site, device: d.id, eventClass: .intrusion, now: now, stamp: stamp)
                    next = next + interval
                }
                if next > until {
                    devices[key]?.fault = nil
                    nextFlood[key] = nil
                } else {
                    nextFlood[key] = next
                }
            }
        }
        return out
    }

    private func deviceTime(_ d: Device, _ stamp: Timestamp) -> Timestamp {
        if case .clockSkew(let skew)? = d.fault { return stamp + skew }
        return stamp
    }

    private func send(_ message: SimMessage, _ d: Device) -> [SimMessage] {
        d.fault == .duplicates ? [message, message] : [message]
    }

    /// A corrupted copy: cut short at a random point, with a stray byte.
    private mutating func garbage(_ message: SimMessage) -> SimMessage {
        var bytes = message.payload
        let cut = Int(rng.next() % UInt64(max(bytes.count - 1, 1))) + 1
        bytes.removeLast(bytes.count - cut)
        bytes.append([0xFF, UInt8(ascii: "{"), UInt8(ascii: ",")][Int(rng.next() % 3)])
        return SimMessage(topic: message.topic, payload: bytes)
    }
}
