import PropertyWatchPipeline
import ServiceLifecycle

/// Runs the leadership link of an active/standby pair; on shutdown (after the pipeline has
/// drained) it releases the lease so the standby takes over at once.
struct LeadershipService: Service {
    let link: LeadershipLink

    func run() async throws {
        link.start()
        try? await gracefulShutdown()
        await PipelineService.offThread { link.stop() }
    }
}
