import Foundation
import PropertyWatchDC09
import PropertyWatchProcess

#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to the gateway, as a panel makes one (or to its metrics endpoint).
final class DC09Connection {
    let fd: Int32

    init(port: Int32) throws {
        guard let fd = Loopback.connectedSocket(port: port) else { throw ChildProcessError("cannot connect to 127.0.0.1:\(port)") }
        self.fd = fd
        // Bounds only a failure: an answer normally takes milliseconds.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// A plain frame around `body`, e.g. `"NULL"0001R1L2#1234[]`.
    static func frame(_ body: String) -> [UInt8] { DC09Reply.wrap(Array(body.utf8)) }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `count` CRs arrived or the peer closed; returns what came.
    func read(replies count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.filter({ $0 == 0x0D }).count < count {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return received
    }

    /// Reads until the peer closes: the whole HTTP response.
    func readAll() -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Sends one plain frame and returns the answer's token (`ACK`, `NAK`, `DUH`), "none" when
    /// the gateway closed without one, or "garbled".
    func exchange(_ body: String) -> String {
        write(Self.frame(body))
        let reply = read(replies: 1)
        guard reply.contains(0x0D) else { return "none" }
        return (try? DC09FrameParser.parse(reply).get().token) ?? "garbled"
    }
}
