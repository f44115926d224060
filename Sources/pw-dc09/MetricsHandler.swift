import NIOCore

/// A minimal HTTP responder: any request gets the gateway's Prometheus text, then the
/// connection closes.
final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let runtime: GatewayRuntime
    private var request: [UInt8] = []

    init(runtime: GatewayRuntime) {
        self.runtime = runtime
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        request += unwrapInboundIn(data).readableBytesView
        guard request.count > 4096 || request.suffix(4) == Array("\r\n\r\n".utf8) else { return }
        let now = GatewayRuntime.now()
        let body = runtime.statistics.withLock { $0.prometheus(now: now, start: runtime.start) }
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)), promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}
