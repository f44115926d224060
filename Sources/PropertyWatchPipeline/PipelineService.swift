import Foundation
import Logging
import PropertyWatchMQTT
import ServiceLifecycle

/// Runs the MQTT network thread and the pipeline thread. On graceful shutdown it stops
/// reading, drains what was received, commits, publishes, disconnects, and stops the
/// journal's checkpoint thread.
///
/// When the pipeline stops by itself (`PipelineError`), it does the same and then throws the
/// error, so the service group shuts the other services down in order (give this service
/// `failureTerminationBehavior: .gracefullyShutdownGroup`) and the daemon exits non-zero.
public struct PipelineService: Service {
    let client: MQTTClient
    let pipeline: Pipeline
    let logger: Logger

    public init(client: MQTTClient, pipeline: Pipeline, logger: Logger) {
        self.client = client
        self.pipeline = pipeline
        self.logger = logger
    }

    public func run() async throws {
        let (terminated, termination) = AsyncStream.makeStream(of: PipelineError.self)
        pipeline.onTermination { error in
            termination.yield(error)
            termination.finish()
        }
        pipeline.start()
        client.start()
        // Whichever comes first: graceful shutdown (nil), or the pipeline's own end.
        let failure = await withTaskGroup(of: PipelineError?.self) { group in
            group.addTask {
                try? await gracefulShutdown()
                return nil
            }
            group.addTask {
                for await error in terminated { return error }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let failure {
            logger.critical("daemon.pipeline.stopped", metadata: ["error": "\(failure)"])
        } else {
            logger.info("daemon.draining")
        }
        let client = client
        let pipeline = pipeline
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
        if let failure { throw failure }
    }

    /// Runs blocking work on a fresh thread, not on the cooperative pool.
    public static func offThread(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                work()
                continuation.resume()
            }.start()
        }
    }
}
