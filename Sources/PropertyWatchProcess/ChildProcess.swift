import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, with an empty signal mask and default signal
/// actions. (Threads of Swift programs — the test runner, Dispatch — block SIGTERM and friends,
/// and `Foundation.Process` passes that mask on, so a child would never see SIGTERM.) Used by
/// the tests, the scenario runner and the benchmarks to run `mosquitto` and `propertywatchd`.
public final class ChildProcess: @unchecked Sendable {
    // Safe: used by one test at a time.
    public let pid: pid_t
    /// The child's standard error, when captured.
    public let standardError: FileHandle?
    /// The child's standard output, when captured.
    public let standardOutput: FileHandle?
    /// Writes to the child's standard input, when requested.
    public let standardInput: FileHandle?
    private var status: Int32?

    /// Starts `executable` with `arguments`; `environment` entries are added to this process's.
    /// - Parameter logFile: append standard output and error to this file (instead of
    ///   capturing them or discarding them).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        captureOutput: Bool = false, captureError: Bool = false, pipeInput: Bool = false,
        logFile: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        func pipePair() -> (Int32, Int32) {
            var fds: [Int32] = [0, 0]
            _ = pipe(&fds)
            return (fds[0], fds[1])
        }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        var out: FileHandle?, err: FileHandle?, inp: FileHandle?
        let devNull = "/dev/null"
        /// A pipe for the child's `fd`; returns the parent's end.
        func connectPipe(to fd: Int32, childReads: Bool) -> FileHandle {
            let (r, w) = pipePair()
            let (child, parent) = childReads ? (r, w) : (w, r)
            posix_spawn_file_actions_adddup2(&actions, child, fd)
            parentEnds.append(parent); childEnds.append(child)
            return FileHandle(fileDescriptor: parent, closeOnDealloc: true)
        }
        if let logFile {
            posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else if captureOutput {
            out = connectPipe(to: 1, childReads: false)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, devNull, O_WRONLY, 0)
        }
        if logFile != nil {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else if captureError {
            err = connectPipe(to: 2, childReads: false)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, devNull, O_WRONLY, 0)
        }
        if pipeInput {
            inp = connectPipe(to: 0, childReads: true)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, devNull, O_RDONLY, 0)
        }
        for fd in parentEnds + childEnds { posix_spawn_file_actions_addclose(&actions, fd) }

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        for fd in childEnds { close(fd) }
        guard rc == 0 else { throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
        self.standardOutput = out
        self.standardError = err
        self.standardInput = inp
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) {
        if status == nil { kill(pid, signal) }
    }

    /// Blocks until the child exits; returns its exit code, or 128 + signal number.
    @discardableResult
    public func waitForExit() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let code: Int32 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = code
        return code
    }

    /// Sends `signal` until the child exits (some daemons lose a signal that arrives while
    /// they mask it), escalating to SIGKILL after `seconds`. Returns the exit status.
    @discardableResult
    public func terminate(_ signal: Int32 = SIGTERM, escalateAfter seconds: Double = 5) -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        var lastSent: UInt64 = 0
        while isRunning {
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if elapsed > UInt64(seconds * 1e9) {
                kill(pid, SIGKILL)
                break
            }
            if lastSent == 0 || elapsed - lastSent > 250_000_000 {
                kill(pid, signal)
                lastSent = max(elapsed, 1)
            }
            usleep(5_000)
        }
        return waitForExit()
    }

    public var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            return false
        }
        return true
    }

    /// Reads standard error until `marker` appears (or the child closes it). Returns what was read.
    public func readError(until marker: String) -> String {
        guard let handle = standardError else { return "" }
        var text = ""
        while !text.contains(marker) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }
}

/// Starting or talking to a child process failed.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
