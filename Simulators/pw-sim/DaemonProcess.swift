import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process (`propertywatchd`, `mosquitto`) started with `posix_spawn`, an empty signal
/// mask and default signal actions, so it sees SIGTERM; its output goes to a log file.
final class DaemonProcess: @unchecked Sendable {
    // Safe: owned by one command on one thread.
    let pid: pid_t
    let name: String
    private var exited: Int32?

    init(_ executable: String, _ arguments: [String], logFile: String) throws {
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
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SimulatorFailure("cannot start \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
        self.name = URL(fileURLWithPath: executable).lastPathComponent
    }

    deinit { stop() }

    var isRunning: Bool {
        guard exited == nil else { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            exited = raw
            return false
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it has not exited after `seconds`.
    func stop(seconds: Double = 10) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: seconds)
        while isRunning, Date() < deadline { usleep(10_000) }
        if isRunning { kill(pid, SIGKILL) }
        var raw: Int32 = 0
        while exited == nil, waitpid(pid, &raw, 0) < 0, errno == EINTR {}
        exited = exited ?? raw
    }
}

/// Finding executables and free ports for the runner's own broker and daemon.
enum Launch {
    /// `name` next to this executable (the build's products directory), else on PATH.
    static func sibling(_ name: String) -> String {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = own.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : name
    }

    static var mosquitto: String {
        if let configured = ProcessInfo.processInfo.environment["PROPERTYWATCH_MOSQUITTO"] { return configured }
        for c in ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"] where FileManager.default.isExecutableFile(atPath: c) {
            return c
        }
        return "mosquitto"
    }

    static func freePort() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulatorFailure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw SimulatorFailure("bind failed") }
        return Int32(UInt16(bigEndian: address.sin_port))
    }

    /// A fresh temporary directory: in memory (`/dev/shm`) when there is one, since a scenario
    /// journal's fsyncs would otherwise dominate a virtual-clock run.
    static func temporaryDirectory(_ prefix: String) -> URL {
        let shm = "/dev/shm"
        let base = FileManager.default.isWritableFile(atPath: shm) ? URL(fileURLWithPath: shm) : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts a private Mosquitto on a free loopback port; returns once it accepts connections.
    static func broker(in directory: URL) throws -> (DaemonProcess, Int32) {
        let port = try freePort()
        let config = directory.appendingPathComponent("mosquitto.conf")
        try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nset_tcp_nodelay true\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let process = try DaemonProcess(mosquitto, ["-c", config.path], logFile: directory.appendingPathComponent("mosquitto.log").path)
        // Connect until it listens (bounded); mosquitto starts in milliseconds.
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if canConnect(port: port) { return (process, port) }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw SimulatorFailure("mosquitto did not start; see \(directory.path)/mosquitto.log")
    }

    static func canConnect(port: Int32) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
