import Foundation
import PropertyWatchTestSupport
import Testing

/// The systemd unit's exposure as `systemd-analyze security` rates it (offline: the unit file
/// is analysed, not a running service).
@Suite("systemd unit hardening", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct UnitHardeningTests {
    @Test func exposureIsAtMostOnePointFive() throws {
        let unit = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/systemd/propertywatchd.service").path
        // --threshold is on systemd's 0–100 scale: 15 is the 1.5 printed.
        let process = try ChildProcess(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", "--threshold=15", "--no-pager", unit], captureOutput: true)
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        let status = process.waitForExit()
        let overall = output.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? "no overall line"
        #expect(status == 0, "\(overall)")
        let level = overall.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        #expect((level ?? 99) <= 1.5, "\(overall)")
    }
}
