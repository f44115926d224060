import NIOCore
import PropertyWatchDC09

/// The UDP listener: each datagram holds whole frames; a source's session lives while it has
/// frames waiting for the daemon. Runs on the channel's event loop only.
final class UDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let runtime: GatewayRuntime
    private var sessions: [SocketAddress: DC09Session] = [:]
    private var context: ChannelHandlerContext?
    private var expiry: Scheduled<Void>?

    init(runtime: GatewayRuntime) {
        self.runtime = runtime
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        runtime.listen(ObjectIdentifier(self)) { ack in loop.execute { bound.value.acknowledged(ack) } }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        runtime.unlisten(ObjectIdentifier(self))
        expiry?.cancel()
        self.context = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let address = envelope.remoteAddress
        let source = address.ipAddress ?? "?"
        let now = GatewayRuntime.now()
        let s = runtime.gateway.settings
        guard sessions[address] != nil || sessions.count < s.maxConnections else {
            runtime.statistics.withLock { $0.refusedConnection() }
            runtime.log("dc09.datagram.refused", reason: "connection-limit", ["source": "\(source)"])
            return
        }
        var session = sessions[address]
            ?? DC09Session(maxFrameBytes: s.maxFrameBytes, ackTimeoutMilliseconds: Int64(s.ackTimeoutSeconds * 1000))
        let runtime = self.runtime
        var actions = session.receive(
            Array(envelope.data.readableBytesView), gateway: runtime.gateway, now: now, clock: runtime.frameClock(), random: GatewayRuntime.padding,
            admit: { runtime.admit(source: source, now: now) })
        actions += session.finish(gateway: runtime.gateway, now: now)
        sessions[address] = session.waitingCount > 0 ? session : nil
        send(runtime.perform(actions, source: source, now: now), to: address, context: context)
        scheduleExpiry(context: context, now: now)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        runtime.log("dc09.udp.error", reason: "udp-error", ["error": "\(error)"])
    }

    private func acknowledged(_ ack: DC09Acknowledgement) {
        guard let context else { return }
        let now = GatewayRuntime.now()
        for (address, var session) in sessions {
            let actions = session.acknowledged(site: ack.site, device: ack.device, sequences: ack.sequences, now: now)
            guard !actions.isEmpty else { continue }
            sessions[address] = session.waitingCount > 0 ? session : nil
            send(runtime.perform(actions, source: address.ipAddress ?? "?", now: now), to: address, context: context)
        }
        scheduleExpiry(context: context, now: now)
    }

    private func expire() {
        guard let context else { return }
        let now = GatewayRuntime.now()
        for (address, var session) in sessions {
            let actions = session.expire(now: now)
            guard !actions.isEmpty else { continue }
            sessions[address] = session.waitingCount > 0 ? session : nil
            _ = runtime.perform(actions, source: address.ipAddress ?? "?", now: now)
        }
        scheduleExpiry(context: context, now: now)
    }

    private func scheduleExpiry(context: ChannelHandlerContext, now: Int64) {
        expiry?.cancel()
        expiry = nil
        guard let deadline = sessions.values.compactMap(\.nextDeadline).min() else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        expiry = context.eventLoop.scheduleTask(in: .milliseconds(max(0, deadline - now))) { bound.value.expire() }
    }

    private func send(_ replies: [[UInt8]], to address: SocketAddress, context: ChannelHandlerContext) {
        guard !replies.isEmpty else { return }
        for reply in replies {
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: reply))), promise: nil)
        }
        context.flush()
    }
}
