import Foundation
import GRDB
import Logging
import Synchronization

/// Copies the journal's WAL into the database on its own connection and thread, so the
/// pipeline's commits never pay for a checkpoint (which fsyncs the growing database file).
/// PASSIVE checkpoints run alongside the writer; once one completes, the writer starts over at
/// the beginning of the already-allocated WAL file, whose fsyncs are cheap.
final class JournalCheckpointer: @unchecked Sendable {
    // Safe: `connection` is used only by the checkpoint thread; flags are atomics.
    private let connection: DatabaseQueue
    private let interval: Double
    private let stopping = Atomic<Bool>(false)
    private let finished = NSCondition()
    private var running = false
    private let logger: Logger

    init(path: String, interval: Double = 0.25, logger: Logger) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        self.logger = logger
    }

    func start() {
        finished.lock()
        running = true
        finished.unlock()
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                finished.lock()
                _ = finished.wait(until: Date(timeIntervalSinceNow: interval))
                finished.unlock()
                do {
                    try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
                } catch {
                    logger.warning("journal.checkpoint.failed", metadata: ["error": "\(error)"])
                }
            }
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
        }
        thread.name = "journal-checkpoint"
        thread.start()
    }

    /// Whether the thread runs.
    var isRunning: Bool {
        finished.lock()
        defer { finished.unlock() }
        return running
    }

    /// Ends the thread and waits for it. Idempotent; harmless before `start()`.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.lock()
        finished.broadcast()
        while running { finished.wait() }
        finished.unlock()
    }
}
