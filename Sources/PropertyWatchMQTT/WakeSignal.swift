#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that wakes a thread blocked in `poll`. Owns both descriptors.
final class WakeSignal: @unchecked Sendable {
    // Safe: pipe reads and writes are atomic system calls; the descriptors are immutable.
    /// The end to poll for `POLLIN`.
    let fd: Int32
    private let writeEnd: Int32

    init() throws(MQTTError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw MQTTError(operation: "pipe", message: String(cString: strerror(errno)))
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        fd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(fd)
        close(writeEnd)
    }

    /// Wakes the poller. When the pipe is full a wake-up is already pending, so a failed
    /// write loses nothing.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Clears pending signals after a wake-up.
    func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        _ = withUnsafeMutableBytes(of: &buffer) { read(fd, $0.baseAddress, $0.count) }
    }
}
