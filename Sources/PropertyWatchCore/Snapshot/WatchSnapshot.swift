import Foundation

/// The core's state at one position of the journal, so that a restart replays only the inputs
/// journaled after it instead of the whole history.
///
/// Why it is exact: `Watch` is a deterministic function of its ordered inputs (messages, start
/// markers, operator inputs, each with its journaled time), and its configuration. A snapshot
/// holds every field those inputs changed (`WatchState`: the engine's state and timer heap
/// as they are, the coordinator's state, the transition numbering) and is restored into a
/// `Watch` built from the same configuration, so feeding it the inputs after `position` gives
/// the same state and the same actions as feeding the uninterrupted `Watch` the same inputs.
/// The configuration is checked by `configuration` (a fingerprint, see
/// `ConfigurationFingerprint`): under other rules the state must be re-derived from the
/// journal. A change of the state's meaning in the code needs a new `currentFormat`.
///
/// It is the state the core had, timers that fired after the last input included (ticks are
/// not journaled). A full replay fires those only at the next journaled input, and when that
/// is a restart (`Watch.resume`, which re-asks a unit whose request was pending) it can end
/// in a state the running daemon never had; restoring a snapshot taken after them cannot.
///
/// The encoding is canonical (sorted keys; sets and dictionaries in key order, see
/// `SnapshotOrdered`), so equal states encode to equal bytes and tests compare bytes.
public struct WatchSnapshot: Sendable, Equatable {
    /// The encoding's version; bumped whenever `WatchState` or its meaning changes.
    /// 2: event ids are remembered by `ByteHash` (1 used an earlier string hash), and the
    /// engine alone keeps an incident's state, moved by the coordinator's dispatch facts (the
    /// coordinator's own copy is gone, and the engine no longer reads guard replies).
    public static let currentFormat = 2

    public var format: Int
    /// The journal row id of the last input reflected in the state.
    public var position: Int64
    /// When it was taken (the pipeline clock).
    public var takenAt: Timestamp
    /// The fingerprint of the configuration the state was derived under.
    public var configuration: String
    /// The encoded `WatchState` (canonical JSON).
    public var state: [UInt8]
    /// FNV-1a of `state`, to tell a damaged snapshot from a good one.
    public var checksum: UInt64

    /// Takes a snapshot of `watch` after the input at journal row `position`.
    public init(of watch: Watch, position: Int64, takenAt: Timestamp, configuration: String) throws {
        self.format = Self.currentFormat
        self.position = position
        self.takenAt = takenAt
        self.configuration = configuration
        self.state = try Self.encode(watch.state)
        self.checksum = Self.checksum(state)
    }

    /// A snapshot as stored; `restore` checks it.
    public init(format: Int, position: Int64, takenAt: Timestamp, configuration: String, state: [UInt8], checksum: UInt64) {
        self.format = format
        self.position = position
        self.takenAt = takenAt
        self.configuration = configuration
        self.state = state
        self.checksum = checksum
    }

    /// Why a snapshot cannot be used; the caller replays the whole journal instead.
    public enum Unusable: Error, Sendable, Equatable, CustomStringConvertible {
        /// Written by a version of PropertyWatch with another encoding.
        case format(Int)
        /// The state does not match its checksum (damaged on disk).
        case checksum
        /// Taken under another configuration: the rules changed, so the state is re-derived.
        case configurationChanged(String)
        /// The state could not be decoded.
        case undecodable(String)

        public var description: String {
            switch self {
            case .format(let f): "format \(f), this version reads format \(WatchSnapshot.currentFormat)"
            case .checksum: "checksum mismatch"
            case .configurationChanged(let why): "configuration changed: \(why)"
            case .undecodable(let why): "undecodable: \(why)"
            }
        }

        /// A short, fixed label for logs and metrics.
        public var reason: String {
            switch self {
            case .format: "format"
            case .checksum: "checksum"
            case .configurationChanged: "configuration"
            case .undecodable: "undecodable"
            }
        }
    }

    /// Restores the state into `watch`, which must be freshly built from the configuration whose
    /// fingerprint is `configuration`. On error `watch` is unchanged.
    public func restore(into watch: inout Watch, configuration current: String) throws(Unusable) {
        guard format == Self.currentFormat else { throw .format(format) }
        guard Self.checksum(state) == checksum else { throw .checksum }
        guard configuration == current else {
            throw .configurationChanged("fingerprint \(configuration) at the snapshot, \(current) now")
        }
        let decoded: WatchState
        do {
            decoded = try JSONDecoder().decode(WatchState.self, from: Data(state))
        } catch {
            throw .undecodable("\(error)")
        }
        var restored = watch
        try restored.restore(decoded)
        watch = restored
    }

    /// The canonical encoding of `watch`'s state: equal states give equal bytes.
    public static func encodedState(of watch: Watch) throws -> [UInt8] {
        try encode(watch.state)
    }

    static func encode(_ state: WatchState) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [UInt8](try encoder.encode(state))
    }

    /// 64-bit FNV-1a.
    public static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
