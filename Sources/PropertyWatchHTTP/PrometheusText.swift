import PropertyWatchCore
import PropertyWatchPipeline

/// Renders the pipeline's counters in the Prometheus text exposition format (0.0.4).
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// One metric family: its `HELP` and `TYPE` lines and a line per sample (`labels` is
    /// `{…}` or empty).
    static func family<Value: CustomStringConvertible>(
        _ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Value)]
    ) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        return out
    }

    static func render(_ s: PipelineStatistics.Snapshot, inboxStalls: Int, brokerConnected: Bool) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            out += family(name, type, help, samples)
        }
        metric("propertywatch_messages_received_total", "counter", "Messages taken from the inbox.", [("", s.received)])
        metric("propertywatch_messages_accepted_total", "counter", "Messages decoded and applied.", [("", s.accepted)])
        metric("propertywatch_messages_ignored_total", "counter", "Messages valid but not acted on.", [("", s.ignored)])
        metric(
            "propertywatch_messages_rejected_total", "counter", "Messages rejected, by reason.",
            RejectionReason.allCases.map { (#"{reason="\#($0.rawValue)"}"#, s.rejected[$0] ?? 0) })
        metric("propertywatch_guard_requests_total", "counter", "Guard requests sent to patrol units.", [("", s.guardRequests)])
        metric("propertywatch_batches_total", "counter", "Inbox batches committed.", [("", s.batches)])
        metric("propertywatch_published_total", "counter", "Messages handed to the broker.", [("", s.published)])
        metric("propertywatch_replayed_total", "counter", "Journaled inputs replayed at start.", [("", s.replayed)])
        metric("propertywatch_last_commit_microseconds", "gauge", "Duration of the last journal commit.", [("", s.lastCommitMicroseconds)])
        metric("propertywatch_outbox_deferrals_total", "counter", "Times committed actions waited in the journal because the MQTT publish queue was full.", [("", s.outboxDeferrals)])
        metric("propertywatch_journal_failing", "gauge", "1 while journal commits fail (disk full, I/O error) and the pipeline holds messages and retries.", [("", s.journalFailing ? 1 : 0)])
        metric("propertywatch_journal_commit_failures_total", "counter", "Failed journal commit attempts.", [("", s.journalCommitFailures)])
        metric("propertywatch_messages_held", "gauge", "Messages received but not yet committed while journal commits fail.", [("", s.heldMessages)])
        metric("propertywatch_snapshots_total", "counter", "Snapshots of the core's state stored in the journal.", [("", s.snapshotsTaken)])
        metric("propertywatch_snapshot_failures_total", "counter", "Snapshots that could not be taken or stored.", [("", s.snapshotFailures)])
        metric(
            "propertywatch_snapshot_unusable_total", "counter",
            "Snapshots passed over at start (the journal was replayed instead), by reason.",
            s.snapshotsUnusable.sorted { $0.key < $1.key }.map { (#"{reason="\#($0.key)"}"#, $0.value) })
        metric("propertywatch_snapshot_bytes", "gauge", "Size of the last snapshot's encoded state.", [("", s.lastSnapshotBytes)])
        metric("propertywatch_snapshot_microseconds", "gauge", "Time to encode and store the last snapshot.", [("", s.lastSnapshotMicroseconds)])
        metric("propertywatch_inbox_stalls_total", "counter", "Times the MQTT thread waited for a free inbox batch.", [("", inboxStalls)])
        metric("propertywatch_broker_connected", "gauge", "1 while the broker link is up.", [("", brokerConnected ? 1 : 0)])
        metric(
            "propertywatch_decisions_total", "counter",
            "Decision records since start (why an event did or did not become an incident), by site, zone and verdict.",
            s.decisions.sorted { $0.key < $1.key }.map { key, value in
                (#"{site="\#(key.site)",zone="\#(key.zone?.rawValue ?? "")",verdict="\#(key.verdict.rawValue)"}"#, value)
            })
        return out
    }
}
