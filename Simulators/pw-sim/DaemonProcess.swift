import Foundation
import PropertyWatchProcess

#if canImport(Glibc)
import Glibc
#endif

/// `propertywatchd` and `mosquitto` run by the scenario runner, output to a log file.
typealias DaemonProcess = ChildProcess

extension ChildProcess {
    convenience init(_ executable: String, _ arguments: [String], logFile: String) throws {
        try self.init(executable, arguments, environment: [:], logFile: logFile)
    }

    /// SIGTERM, then SIGKILL if it has not exited after `seconds`.
    func stop(seconds: Double = 10) {
        terminate(SIGTERM, escalateAfter: seconds)
    }
}

/// Finding executables for the runner's own broker and daemon.
enum Launch {
    /// `name` next to this executable (the build's products directory), else on PATH.
    static func sibling(_ name: String) -> String {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = own.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : name
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
        let port = try Loopback.freePort()
        let config = directory.appendingPathComponent("mosquitto.conf")
        try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nset_tcp_nodelay true\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let process = try DaemonProcess(Loopback.mosquitto, ["-c", config.path], logFile: directory.appendingPathComponent("mosquitto.log").path)
        // Connect until it listens (bounded); mosquitto starts in milliseconds.
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if Loopback.canConnect(port: port) { return (process, port) }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw SimulatorFailure("mosquitto did not start; see \(directory.path)/mosquitto.log")
    }

}
