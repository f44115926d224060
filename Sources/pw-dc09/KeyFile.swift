import Foundation
import PropertyWatchDC09

#if canImport(Glibc)
import Glibc
#endif

/// Reads an account's key file, refusing one that group or others may read or write.
enum KeyFile {
    static func load(_ path: String) -> Result<[UInt8], DC09KeyError> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else { return .failure(.readable(mode: mode)) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(.unreadable("not readable as UTF-8 text"))
        }
        return DC09Account.parseKey(text)
    }
}
