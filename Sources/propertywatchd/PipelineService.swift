import Foundation
import Logging
import PropertyWatchMQTT
import PropertyWatchPipeline
import ServiceLifecycle

/// Runs the MQTT network thread and the pipeline thread; on graceful shutdown it stops
/// reading, drains what was received, commits, publishes, disconnects, and stops the
/// journal's checkpoint thread.
struct PipelineService: Service {
    let client: MQTTClient
    let pipeline: Pipeline
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        pipeline.start()
        client.start()
        try? await gracefulShutdown()
        logger.info("daemon.draining")
        await Self.offThread {
            client.pauseReading()
            pipeline.stopAndDrain()
            client.shutdown()
            pipeline.journal.close()
        }
        let stats = pipeline.statistics.snapshot
        logger.info("daemon.drained", metadata: [
            "pipeline.received": "\(stats.received)", "pipeline.accepted": "\(stats.accepted)",
            "pipeline.rejected": "\(stats.rejectedTotal)",
        ])
    }

    /// Runs blocking work on a fresh thread, not on the cooperative pool.
    static func offThread(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                work()
                continuation.resume()
            }.start()
        }
    }
}
