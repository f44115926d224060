import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private Mosquitto with TLS, passwords and an ACL, on a free loopback port, as in
/// `deploy/mosquitto/mosquitto.conf`. Its CA and server certificate are generated here with
/// openssl (and a second, unrelated CA to test refusal); nothing is kept after the test.
public final class SecureTestBroker: @unchecked Sendable {
    // Safe: used by the one test that owns it.
    public let port: Int32
    public let directory: URL
    private var process: ChildProcess?

    /// The CA that signed the broker's certificate.
    public var caFile: String { directory.appendingPathComponent("ca.crt").path }
    /// A CA that did not.
    public var wrongCAFile: String { directory.appendingPathComponent("wrong-ca.crt").path }

    /// - Parameters:
    ///   - acl: the ACL file's text.
    ///   - passwords: username → password.
    public init(acl: String, passwords: [String: String]) throws {
        port = try Loopback.freePort()
        directory = TestEnvironment.temporaryDirectory("mosquitto-tls")
        let dir = directory.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.run("openssl", ["req", "-x509"] + ec + ["-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.crt", "-days", "1", "-subj", "/CN=PropertyWatch test CA"])
        try Self.run("openssl", ["req", "-x509"] + ec + ["-keyout", "\(dir)/wrong-ca.key", "-out", "\(dir)/wrong-ca.crt", "-days", "1", "-subj", "/CN=Someone else's CA"])
        try Self.run("openssl", ["req"] + ec + ["-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
        try Self.run("openssl", [
            "x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.crt", "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
            "-out", "\(dir)/server.crt", "-days", "1", "-extfile", "\(dir)/san.ext",
        ])
        try acl.write(toFile: "\(dir)/acl", atomically: true, encoding: .utf8)
        try passwords.map { "\($0.key):\($0.value)\n" }.sorted().joined()
            .write(toFile: "\(dir)/passwd", atomically: true, encoding: .utf8)
        try Self.run("mosquitto_passwd", ["-U", "\(dir)/passwd"])
        let config = """
            per_listener_settings false
            allow_anonymous false
            password_file \(dir)/passwd
            acl_file \(dir)/acl
            listener \(port) 127.0.0.1
            cafile \(dir)/ca.crt
            certfile \(dir)/server.crt
            keyfile \(dir)/server.key
            tls_version tlsv1.2
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """
        try config.write(toFile: "\(dir)/mosquitto.conf", atomically: true, encoding: .utf8)
        // Mosquitto drops root privileges to its own user before reading these.
        if geteuid() == 0, let user = getpwnam("mosquitto") {
            for name in ["", "/ca.crt", "/server.crt", "/server.key", "/acl", "/passwd", "/mosquitto.conf"] {
                chown(dir + name, user.pointee.pw_uid, user.pointee.pw_gid)
            }
            chmod("\(dir)/passwd", 0o600)
            chmod("\(dir)/server.key", 0o600)
        }
        let process = try ChildProcess(Loopback.mosquitto, ["-c", "\(dir)/mosquitto.conf"], captureError: true)
        let log = process.readError(until: " running")
        guard log.contains(" running") else { throw TestFailure("TLS mosquitto did not start: \(log)") }
        process.standardError?.readabilityHandler = { h in _ = h.availableData }
        self.process = process
    }

    deinit {
        process?.standardError?.readabilityHandler = nil
        process?.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a tool to completion; throws with its error output if it fails.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let path = ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? tool
        let process = try ChildProcess(path, arguments, captureError: true)
        let output = process.readError(until: "\u{0}")
        let status = process.waitForExit()
        guard status == 0 else { throw TestFailure("\(tool) \(arguments.joined(separator: " ")) failed (\(status)): \(output)") }
    }
}
