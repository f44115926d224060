import NIOCore
import PropertyWatchDC09

/// One panel's TCP connection: bytes to its `DC09Session`, replies back, ACKs when the
/// daemon confirms. Runs on the channel's event loop only.
final class TCPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A partial frame older than this closes the connection (slow senders).
    static let frameTimeoutMilliseconds: Int64 = 10_000

    private let runtime: GatewayRuntime
    private var session: DC09Session
    private var source = "?"
    private var counted = false
    private var context: ChannelHandlerContext?
    private var expiry: Scheduled<Void>?
    private var partialSince: Int64?

    init(runtime: GatewayRuntime) {
        self.runtime = runtime
        let s = runtime.gateway.settings
        self.session = DC09Session(maxFrameBytes: s.maxFrameBytes, ackTimeoutMilliseconds: Int64(s.ackTimeoutSeconds * 1000))
    }

    func channelActive(context: ChannelHandlerContext) {
        source = context.remoteAddress?.ipAddress ?? "?"
        guard runtime.open(source: source) else {
            context.close(promise: nil)
            return
        }
        counted = true
        self.context = context
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        runtime.listen(ObjectIdentifier(self)) { ack in loop.execute { bound.value.acknowledged(ack) } }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        expiry?.cancel()
        if counted {
            runtime.unlisten(ObjectIdentifier(self))
            runtime.close(source: source)
            let now = GatewayRuntime.now()
            _ = runtime.perform(session.finish(gateway: runtime.gateway, now: now) + session.expire(now: .max), source: source, now: now)
        }
        self.context = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = GatewayRuntime.now()
        let runtime = self.runtime, source = self.source
        let actions = session.receive(
            Array(buffer.readableBytesView), gateway: runtime.gateway, now: now, clock: runtime.frameClock(), random: GatewayRuntime.padding,
            admit: { runtime.admit(source: source, now: now) })
        send(runtime.perform(actions, source: source, now: now), context: context)
        if session.pendingBytes == 0 {
            partialSince = nil
        } else if let since = partialSince, now - since > Self.frameTimeoutMilliseconds {
            runtime.statistics.withLock { $0.record(DC09Outcome(reply: .none, account: nil, reason: "slow-sender"), now: now) }
            runtime.log("dc09.connection.closed", reason: "slow-sender", ["source": "\(source)"])
            context.close(promise: nil)
        } else if partialSince == nil {
            partialSince = now
        }
        scheduleExpiry(context: context, now: now)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            runtime.statistics.withLock { $0.record(DC09Outcome(reply: .none, account: nil, reason: "idle-timeout"), now: GatewayRuntime.now()) }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func acknowledged(_ ack: DC09Acknowledgement) {
        guard let context else { return }
        let now = GatewayRuntime.now()
        let actions = session.acknowledged(site: ack.site, device: ack.device, sequences: ack.sequences, now: now)
        guard !actions.isEmpty else { return }
        send(runtime.perform(actions, source: source, now: now), context: context)
        scheduleExpiry(context: context, now: now)
    }

    private func expire() {
        guard let context else { return }
        let now = GatewayRuntime.now()
        _ = runtime.perform(session.expire(now: now), source: source, now: now)
        scheduleExpiry(context: context, now: now)
    }

    private func scheduleExpiry(context: ChannelHandlerContext, now: Int64) {
        expiry?.cancel()
        expiry = nil
        guard let deadline = session.nextDeadline else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        expiry = context.eventLoop.scheduleTask(in: .milliseconds(max(0, deadline - now))) { bound.value.expire() }
    }

    private func send(_ replies: [[UInt8]], context: ChannelHandlerContext) {
        guard !replies.isEmpty else { return }
        for reply in replies { context.write(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil) }
        context.flush()
    }
}
