import Foundation
import Logging
import PropertyWatchCore

/// Snapshots of the core's state (`WatchSnapshot`): taken on the pipeline thread between
/// steps, when every journaled input is in the core and nothing the core was told is
/// uncommitted, so the state is exactly that of replaying the journal up to its last row.
extension Pipeline {
    /// Restores the newest usable snapshot into `watch` (freshly built) and returns its
    /// journal position; nil when there is none to use, and the whole journal is replayed.
    /// Every snapshot passed over is logged (`journal.snapshot.unusable`, with why) and counted.
    func restoreSnapshot() -> Int64? {
        guard snapshotPolicy.enabled else { return nil }
        let stored: [WatchSnapshot]
        let last: Int64
        do {
            stored = try journal.snapshots()
            last = try journal.lastEventID()
        } catch {
            unusable(reason: "unreadable", detail: "\(error)", position: nil)
            return nil
        }
        for snapshot in stored {
            // Rows the snapshot reflects that the journal no longer reaches (ids reused after
            // everything was purged) would make its tail wrong.
            guard snapshot.position <= last else {
                unusable(reason: "position", detail: "the journal ends at row \(last), before the snapshot's \(snapshot.position)", position: snapshot.position)
                continue
            }
            do {
                try snapshot.restore(into: &watch, configuration: configurationFingerprint)
                logger.info("journal.snapshot.restored", metadata: [
                    "snapshot.position": "\(snapshot.position)", "snapshot.taken.at": "\(snapshot.takenAt.millisecondsSinceEpoch)",
                    "snapshot.bytes": "\(snapshot.state.count)", "journal.tail.rows": "\(last - snapshot.position)",
                ])
                return snapshot.position
            } catch {
                unusable(reason: error.reason, detail: error.description, position: snapshot.position)
            }
        }
        if stored.isEmpty, last > 0 {
            unusable(reason: "missing", detail: "no snapshot in a journal of \(last) rows", position: nil)
        }
        return nil
    }

    private func unusable(reason: String, detail: String, position: Int64?) {
        var metadata: Logger.Metadata = ["snapshot.reason": "\(reason)", "snapshot.detail": "\(detail)"]
        if let position { metadata["snapshot.position"] = "\(position)" }
        logger.warning("journal.snapshot.unusable", metadata: metadata)
        statistics.update { $0.snapshotsUnusable[reason, default: 0] += 1 }
    }

    /// Takes a snapshot if the policy says one is due, encoding and storing it on another
    /// thread: the pipeline only copies the core (a value, copied on write) and reads the
    /// journal's last row id. At most one is under way; a due one waits for it to finish.
    func snapshotIfDue() {
        guard snapshotPolicy.enabled, let now = clock.now()?.millisecondsSinceEpoch else { return }
        guard let last = lastSnapshotAt else {
            lastSnapshotAt = now
            return
        }
        guard snapshotPolicy.isDue(events: eventsSinceSnapshot, elapsed: now - last), outage == nil, !needsRebuild else { return }
        guard beginSnapshot() else { return }
        let copy = watch
        let position: Int64
        do {
            position = try journal.lastEventID()
        } catch {
            endSnapshot()
            logger.warning("journal.snapshot.failed", metadata: ["error": "\(error)"])
            statistics.update { $0.snapshotFailures += 1 }
            return
        }
        lastSnapshotAt = now
        snapshotRow = position
        Thread.detachNewThread { [self] in
            store(copy, position: position, takenAt: Timestamp(millisecondsSinceEpoch: now))
            endSnapshot()
        }
    }

    private func beginSnapshot() -> Bool {
        snapshotUnderWay.lock()
        defer { snapshotUnderWay.unlock() }
        guard !snapshotStoring else { return false }
        snapshotStoring = true
        return true
    }

    private func endSnapshot() {
        snapshotUnderWay.lock()
        snapshotStoring = false
        snapshotUnderWay.broadcast()
        snapshotUnderWay.unlock()
    }

    /// Waits until no periodic snapshot is being stored (a clean stop, and tests).
    public func waitForSnapshots() {
        snapshotUnderWay.lock()
        while snapshotStoring { snapshotUnderWay.wait() }
        snapshotUnderWay.unlock()
    }

    /// Takes a snapshot of the core's state now and stores it in the journal before returning.
    /// Only on the pipeline thread, or while it is not running. Refused (false) while the
    /// journal refuses commits or the core may be ahead of it. A failure is logged and
    /// counted, never thrown: the next start replays a longer tail, nothing else.
    @discardableResult
    public func takeSnapshot() -> Bool {
        guard outage == nil, !needsRebuild else { return false }
        waitForSnapshots()
        let now = clock.now() ?? Timestamp(millisecondsSinceEpoch: 0)
        lastSnapshotAt = now.millisecondsSinceEpoch
        let position: Int64
        do {
            position = try journal.lastEventID()
        } catch {
            logger.warning("journal.snapshot.failed", metadata: ["error": "\(error)"])
            statistics.update { $0.snapshotFailures += 1 }
            return false
        }
        guard store(watch, position: position, takenAt: now) else { return false }
        snapshotRow = position
        return true
    }

    /// Encodes and stores `watch` as the state after row `position`. Any thread.
    @discardableResult
    private func store(_ watch: Watch, position: Int64, takenAt now: Timestamp) -> Bool {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let snapshot = try WatchSnapshot(of: watch, position: position, takenAt: now, configuration: configurationFingerprint)
            let encoded = DispatchTime.now().uptimeNanoseconds
            try journal.writeSnapshot(snapshot, kept: snapshotPolicy.kept)
            let done = DispatchTime.now().uptimeNanoseconds
            statistics.update { s in
                s.snapshotsTaken += 1
                s.lastSnapshotBytes = snapshot.state.count
                s.lastSnapshotMicroseconds = Int((done - started) / 1000)
                s.snapshotPosition = position
            }
            logger.info("journal.snapshot.taken", metadata: [
                "snapshot.position": "\(position)", "snapshot.bytes": "\(snapshot.state.count)",
                "snapshot.encode.us": "\((encoded - started) / 1000)", "snapshot.write.us": "\((done - encoded) / 1000)",
            ])
            return true
        } catch {
            logger.warning("journal.snapshot.failed", metadata: ["error": "\(error)"])
            statistics.update { $0.snapshotFailures += 1 }
            return false
        }
    }

    /// The canonical encoding of the core's state (tests compare it byte for byte).
    public func encodedState() throws -> [UInt8] {
        try WatchSnapshot.encodedState(of: watch)
    }
}
