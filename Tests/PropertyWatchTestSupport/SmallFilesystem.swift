import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real, small filesystem for disk-full tests: a tmpfs of `megabytes` mounted on a fresh
/// directory (needs root, as CI has), which `fill()` fills to the last block and `free()`
/// empties again. Unmounted when released.
public final class SmallFilesystem: @unchecked Sendable {
    // Safe: used by the one test that owns it.
    public let directory: URL
    private var filler: URL { directory.appendingPathComponent("filler") }

    /// Whether this process may mount a tmpfs (root on Linux).
    public static var isAvailable: Bool { geteuid() == 0 }

    public init(megabytes: Int) throws {
        directory = TestEnvironment.temporaryDirectory("smallfs")
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=\(megabytes)m,mode=0777") == 0 else {
            throw TestFailure("cannot mount a tmpfs on \(directory.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        _ = umount2(directory.path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a filler file until the filesystem has no block left; returns its size.
    @discardableResult
    public func fill() throws -> Int {
        let fd = open(filler.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot create \(filler.path)") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xA5, count: 4096)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            total += written
        }
        guard errno == ENOSPC else { throw TestFailure("filling stopped with \(String(cString: strerror(errno)))") }
        return total
    }

    /// Removes the filler file: the space is there again.
    public func free() {
        unlink(filler.path)
    }

    /// Free bytes on the filesystem.
    public var availableBytes: Int64 {
        var info = statvfs()
        guard statvfs(directory.path, &info) == 0 else { return -1 }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
