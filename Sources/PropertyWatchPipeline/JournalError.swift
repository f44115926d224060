import Foundation

/// Why the journal could not be opened; each case says what to do about it.
public enum JournalError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The journal's filesystem has less free space than starting needs.
    case insufficientSpace(path: String, availableBytes: Int64, requiredBytes: Int64)
    /// SQLite refused to open, migrate or prepare the journal.
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .insufficientSpace(let path, let available, let required):
            "journal: the disk is (nearly) full: \(Self.mebibytes(available)) free on the filesystem of \(path), "
                + "at least \(Self.mebibytes(required)) needed to start; free space there or move journal.path"
        case .cannotOpen(let path, let reason):
            "journal: cannot open \(path): \(reason)"
        }
    }

    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// Free bytes for an unprivileged writer on the filesystem holding `path` (or its
    /// directory, when the file does not exist yet); nil when that cannot be told.
    static func availableBytes(at path: String) -> Int64? {
        let url = URL(fileURLWithPath: path)
        let probe = FileManager.default.fileExists(atPath: path) ? path : url.deletingLastPathComponent().path
        var info = statvfs()
        guard statvfs(probe, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
