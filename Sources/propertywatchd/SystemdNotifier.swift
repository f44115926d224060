import Foundation
import Logging
import PropertyWatchPipeline
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notify protocol when `NOTIFY_SOCKET` is set: `READY=1` once the journal
/// is recovered and subscriptions are active, `WATCHDOG=1` every half `WATCHDOG_USEC` while
/// the pipeline loop turns, `STATUS=` with a critical alert while journal commits fail, and
/// `STOPPING=1` on shutdown. Without systemd it only waits.
struct SystemdNotifier: Service {
    let readiness: Readiness
    let pipeline: Pipeline
    let logger: Logger

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let socketPath = environment["NOTIFY_SOCKET"]
        await readiness.waitUntilSubscribed()
        Self.notify("READY=1\nSTATUS=\(Self.watching)", socketPath: socketPath)
        logger.notice("daemon.ready")
        let watchdogUsec = environment["WATCHDOG_USEC"].flatMap(UInt64.init) ?? 0
        // Checks once a second (or every half watchdog period, if shorter): pings the
        // watchdog while the pipeline loop turns, and keeps STATUS= saying whether the
        // journal takes commits.
        let period = watchdogUsec > 0 ? min(watchdogUsec / 2, 1_000_000) : 1_000_000
        var lastSteps = pipeline.statistics.loopIterations
        var lastPing = ContinuousClock.now
        var failing = false
        while !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .microseconds(period)) }
            let stats = pipeline.statistics.snapshot
            if stats.journalFailing != failing || (failing && stats.heldMessages > 0) {
                failing = stats.journalFailing
                Self.notify("STATUS=\(Self.status(stats))", socketPath: socketPath)
            }
            guard watchdogUsec > 0, ContinuousClock.now - lastPing >= .microseconds(watchdogUsec / 2) else { continue }
            lastPing = ContinuousClock.now
            let steps = pipeline.statistics.loopIterations
            if steps != lastSteps {
                // Also while the journal fails: the loop is alive and holds messages that a
                // restart would lose.
                Self.notify("WATCHDOG=1", socketPath: socketPath)
            } else {
                logger.error("pipeline.stalled")
            }
            lastSteps = steps
        }
        Self.notify("STOPPING=1", socketPath: socketPath)
    }

    static let watching = "Watching"

    /// The one-line `STATUS=` for systemd: the normal state, or the critical journal alert.
    static func status(_ stats: PipelineStatistics.Snapshot) -> String {
        guard stats.journalFailing else { return watching }
        return "CRITICAL: journal commits fail (\(stats.journalError ?? "unknown error")); "
            + "not reading, holding \(stats.heldMessages) messages, retrying"
    }

    /// Sends one datagram to systemd; does nothing when `socketPath` is nil.
    static func notify(_ message: String, socketPath: String?) {
        guard var path = socketPath, !path.isEmpty else { return }
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            if abstract {
                // Abstract namespace: a leading NUL, no terminator.
                raw.copyBytes(from: [0] + pathBytes)
            }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 1 : 0))
        _ = message.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, text, strlen(text), 0, $0, length)
                }
            }
        }
    }
}
