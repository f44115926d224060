import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private Mosquitto on a free loopback port, for tests that restart or kill the broker.
/// Stops the broker when released.
public final class TestBroker: @unchecked Sendable {
    // Safe: mutated only by the test that owns it, on one task at a time.
    public let port: Int32
    public let directory: URL
    private var process: ChildProcess?
    private let persistent: Bool

    /// Starts a broker and returns once it accepts connections.
    /// - Parameter persistent: keep queued messages and sessions on disk across restarts.
    /// - Parameter tcpNoDelay: send without Nagle's delay (request/response exchanges such as
    ///   the scenario runner's clock steps otherwise wait ~40 ms for delayed ACKs each).
    public init(persistent: Bool = true, tcpNoDelay: Bool = false) throws {
        self.port = try Loopback.freePort()
        self.directory = TestEnvironment.temporaryDirectory("mosquitto")
        self.persistent = persistent
        let config = """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence \(persistent)
            persistence_location \(directory.path)/
            autosave_interval 1
            max_queued_messages 0
            max_inflight_messages 0
            set_tcp_nodelay \(tcpNoDelay)
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """
        try config.write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit { stop() }

    /// A broker that was started by someone else (CI's, from the environment); never stopped here.
    private init(existingPort: Int32) {
        self.port = existingPort
        self.directory = TestEnvironment.temporaryDirectory("mosquitto")
        self.persistent = true
    }

    /// The broker CI started (`PROPERTYWATCH_TEST_BROKER_PORT`) when there is one, else a
    /// private one. For tests that neither restart the broker nor use fixed topics.
    public static func shareable() throws -> TestBroker {
        if let port = TestEnvironment.sharedBrokerPort { return TestBroker(existingPort: port) }
        return try TestBroker(persistent: false)
    }

    /// Starts (or restarts) the broker process and waits until it is listening.
    public func start() throws {
        let process = try ChildProcess(
            Loopback.mosquitto, ["-c", directory.appendingPathComponent("mosquitto.conf").path],
            captureError: true)
        // Event-driven: read the broker's log until it says it runs.
        let log = process.readError(until: " running")
        guard log.contains(" running") else {
            throw TestFailure("mosquitto exited before listening: \(log)")
        }
        // Keep draining the log so the broker never blocks on a full pipe.
        process.standardError?.readabilityHandler = { h in _ = h.availableData }
        self.process = process
    }

    /// Stops the broker (SIGTERM, which saves persistent state) and waits for it to exit.
    public func stop() {
        guard let process else { return }
        process.standardError?.readabilityHandler = nil
        process.terminate()
        self.process = nil
    }

    /// Freezes the broker (SIGSTOP): connections stay open, but nothing is read, forwarded
    /// or acknowledged until `resume()`.
    public func pause() {
        process?.send(SIGSTOP)
    }

    /// Lets a paused broker run again (SIGCONT).
    public func resume() {
        process?.send(SIGCONT)
    }

    /// Kills the broker with SIGKILL.
    public func kill() {
        guard let process else { return }
        process.standardError?.readabilityHandler = nil
        process.send(SIGKILL)
        process.waitForExit()
        self.process = nil
    }

}

/// A failure in test set-up, with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
