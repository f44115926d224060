import PropertyWatchCore

/// One panel connection (a TCP connection, or a UDP source): frames in, actions out.
///
/// Holds the partial frame and the frames waiting for the daemon's end-to-end
/// acknowledgement; nothing else. A frame whose acknowledgement does not come within the ACK
/// timeout gets no answer, so the panel retries (or fails over); nothing is lost because the
/// panel keeps what it has not had ACKed.
public struct DC09Session: Sendable {
    public enum Action: Sendable, Equatable {
        /// Write these bytes to the panel.
        case send([UInt8])
        /// Publish at QoS 1.
        case publish(topic: String, payload: [UInt8])
        /// A frame was answered (or given up on): for metrics and logs.
        case outcome(DC09Outcome)
    }

    struct Waiting: Sendable {
        var awaited: DC09Evaluation.Awaited
        var ack: [UInt8]
        var account: String
        var since: Int64
        var deadline: Int64
    }

    private var reader: DC09FrameReader
    private var waiting: [Waiting] = []
    /// The ACK timeout in milliseconds.
    public let ackTimeout: Int64

    public init(maxFrameBytes: Int, ackTimeoutMilliseconds: Int64) {
        self.reader = DC09FrameReader(maxFrameBytes: maxFrameBytes)
        self.ackTimeout = ackTimeoutMilliseconds
    }

    /// Frames waiting for the daemon.
    public var waitingCount: Int { waiting.count }
    /// The earliest ACK deadline, for the edge's timer.
    public var nextDeadline: Int64? { waiting.map(\.deadline).min() }
    /// Bytes of a frame not yet complete.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Frames waiting for the daemon at most; more get no answer (the panel retries).
    public var maxWaiting = 64

    /// Bytes from the panel. `random` supplies padding for encrypted replies; `admit` is asked
    /// once per complete frame (per-source rate, broker available) and returns nil to accept it,
    /// else the reason the frame gets no answer.
    /// - Parameter clock: the time frames are judged by (timestamp window, event time) when it
    ///   is not `now`: the scenario runner's virtual clock. ACK waits always use `now`.
    public mutating func receive(
        _ bytes: [UInt8], gateway: DC09Gateway, now: Int64, clock: Int64? = nil, random: () -> [UInt8],
        admit: () -> String? = { nil }
    ) -> [Action] {
        handle(reader.append(bytes), gateway: gateway, now: now, clock: clock, random: random, admit: admit)
    }

    /// The end of the stream (UDP datagram end, TCP close): a partial frame is garbage.
    public mutating func finish(gateway: DC09Gateway, now: Int64) -> [Action] {
        handle(reader.finish(), gateway: gateway, now: now, clock: nil, random: { [] }, admit: { nil })
    }

    private mutating func handle(
        _ chunks: [DC09FrameReader.Chunk], gateway: DC09Gateway, now: Int64, clock: Int64?, random: () -> [UInt8],
        admit: () -> String?
    ) -> [Action] {
        var actions: [Action] = []
        for chunk in chunks {
            switch chunk {
            case .garbage(let n):
                actions.append(.outcome(DC09Outcome(reply: .none, account: nil, reason: "garbage", detail: "\(n) bytes outside a frame")))
            case .oversize:
                actions.append(.outcome(DC09Outcome(reply: .none, account: nil, reason: "oversize",
                                                    detail: "frame longer than \(reader.maxFrameBytes) bytes")))
            case .frame(let bytes):
                if let refusal = admit() {
                    actions.append(.outcome(DC09Outcome(reply: .none, account: nil, reason: refusal, detail: "frame not read")))
                    continue
                }
                guard waiting.count < maxWaiting else {
                    actions.append(.outcome(DC09Outcome(reply: .none, account: nil, reason: "too-many-waiting",
                                                        detail: "\(waiting.count) frames already wait for the daemon")))
                    continue
                }
                let evaluation = gateway.evaluate(bytes, now: clock ?? now, padding: random())
                actions += apply(evaluation, now: now)
            }
        }
        return actions
    }

    private mutating func apply(_ e: DC09Evaluation, now: Int64) -> [Action] {
        switch e.decision {
        case .reply(let kind, let bytes):
            return [.send(bytes), .outcome(DC09Outcome(reply: kind, account: e.account, reason: e.reason, detail: e.detail))]
        case .none:
            return [.outcome(DC09Outcome(reply: .none, account: e.account, reason: e.reason, detail: e.detail))]
        case .publishAndReply(let publications, let kind, let bytes):
            var actions = publications.map { Action.publish(topic: $0.topic, payload: $0.payload) }
            if let bytes { actions.append(.send(bytes)) }
            actions.append(.outcome(DC09Outcome(reply: kind, account: e.account, reason: e.reason, detail: e.detail)))
            return actions
        case .publishAndAwait(let publications, let awaited, let ack):
            // A retransmission of a frame still waiting replaces the wait (one ACK per frame).
            waiting.removeAll { $0.awaited == awaited }
            waiting.append(Waiting(awaited: awaited, ack: ack, account: e.account ?? "", since: now, deadline: now + ackTimeout))
            return publications.map { Action.publish(topic: $0.topic, payload: $0.payload) }
        }
    }

    /// The daemon's end-to-end acknowledgement for `device` at `site` naming `sequences`.
    public mutating func acknowledged(site: SiteID, device: DeviceID, sequences: [UInt64], now: Int64) -> [Action] {
        var actions: [Action] = []
        waiting.removeAll { w in
            guard w.awaited.site == site, w.awaited.device == device, sequences.contains(w.awaited.sequence) else { return false }
            actions.append(.send(w.ack))
            actions.append(.outcome(DC09Outcome(reply: .ack, account: w.account, latencyMilliseconds: now - w.since)))
            return true
        }
        return actions
    }

    /// Gives up on frames past their deadline: no answer, the panel will retry.
    public mutating func expire(now: Int64) -> [Action] {
        var actions: [Action] = []
        waiting.removeAll { w in
            guard w.deadline <= now else { return false }
            actions.append(.outcome(DC09Outcome(reply: .none, account: w.account, reason: "ack-timeout",
                                                detail: "no end-to-end acknowledgement for seq \(w.awaited.sequence) within \(ackTimeout) ms")))
            return true
        }
        return actions
    }
}

/// How one frame ended, for metrics and logs.
public struct DC09Outcome: Sendable, Equatable {
    public var reply: DC09Reply.Kind
    public var account: String?
    public var reason: String?
    public var detail: String?
    /// For ACKs: from frame received to ACK sent.
    public var latencyMilliseconds: Int64?

    public init(reply: DC09Reply.Kind, account: String?, reason: String? = nil, detail: String? = nil, latencyMilliseconds: Int64? = nil) {
        self.reply = reply
        self.account = account
        self.reason = reason
        self.detail = detail
        self.latencyMilliseconds = latencyMilliseconds
    }
}
