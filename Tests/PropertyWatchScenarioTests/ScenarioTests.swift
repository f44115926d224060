import Foundation
import PropertyWatchTestSupport
import Testing

/// Every scenario in `deploy/scenarios/` played by `pw-sim scenario` against a private broker
/// and the built `propertywatchd --virtual-clock`; the runner's verdict is the test's.
@Suite(.serialized)
struct ScenarioTests {
    static let directory = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/scenarios")

    static var files: [String] { files(in: directory) }

    /// The scenario files in `directory`, sorted; none when it is empty or missing.
    static func files(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Whether `files` are the library, not a checkout that lost (some of) it.
    static func isLibrary(_ files: [String]) -> Bool { files.count >= 15 }

    @Test(arguments: files)
    func scenarioPasses(_ file: String) throws {
        let run = try ScenarioRun(file: Self.directory.appendingPathComponent(file).path)
        #expect(run.status == 0, "\(run.report)")
    }

    /// The library is there: a checkout that lost its scenarios must not pass by testing nothing.
    @Test func theLibraryHasScenarios() {
        #expect(Self.isLibrary(Self.files), "\(Self.files)")
    }

    /// `scenarioPasses` runs no case when discovery finds nothing, and passes; the check above
    /// must then fail. Discovery in an empty and in a missing directory finds nothing.
    @Test func anEmptyOrMissingDirectoryIsNoLibrary() throws {
        let empty = TestEnvironment.temporaryDirectory("scenario-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(Self.files(in: empty) == [])
        #expect(!Self.isLibrary(Self.files(in: empty)))
        #expect(Self.files(in: empty.appendingPathComponent("missing")) == [])
        try "not a scenario".write(to: empty.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(Self.files(in: empty) == [])
        try "name: one".write(to: empty.appendingPathComponent("one.yaml"), atomically: true, encoding: .utf8)
        #expect(Self.files(in: empty) == ["one.yaml"])
        #expect(!Self.isLibrary(Self.files(in: empty)))
    }

    @Test func sameSeedSameNight() throws {
        let file = Self.directory.appendingPathComponent("flood-during-intrusion.yaml").path
        let first = try ScenarioRun(file: file)
        let second = try ScenarioRun(file: file)
        try #require(first.status == 0, "\(first.report)")
        #expect(!first.outcome.isEmpty)
        #expect(first.outcome == second.outcome)
    }

    @Test func aWrongExpectationFails() throws {
        let directory = TestEnvironment.temporaryDirectory("scenario")
        let file = directory.appendingPathComponent("wrong.yaml")
        // A fire that nobody answers, but expected to be taken by P1 and never escalated.
        try """
            name: wrong expectation
            start: "2026-11-26 18:00"
            end: "03:00"
            config: \(TestEnvironment.repositoryRoot.path)/deploy/config/upplands-bro.yaml
            patrol: {default: ignore}
            events:
              - {at: "02:10", alarm: {site: raby-forskola, device: smoke-kok, class: fire}}
            expect:
              incidents:
                - {site: raby-forskola, priority: fire, accepted_by: P1, escalations: []}
            """.write(to: file, atomically: true, encoding: .utf8)
        let run = try ScenarioRun(file: file.path)
        #expect(run.status == 1, "\(run.report)")
        #expect(run.report.contains("accepted by nobody, expected P1"))
        // A fire tells the on-call at once (the example's chains), and the central after both units.
        #expect(run.report.contains("escalations [central, on-call], expected []"))
    }
}

/// One `pw-sim scenario` run against a fresh private broker.
struct ScenarioRun {
    var status: Int32
    var report: String
    var outcome: String

    init(file: String) throws {
        let broker = try TestBroker(persistent: false, tcpNoDelay: true)
        let products = TestEnvironment.productsDirectory
        // In memory when possible: the runner's journal is throwaway.
        let shm = URL(fileURLWithPath: "/dev/shm")
        let work = FileManager.default.isWritableFile(atPath: shm.path)
            ? shm.appendingPathComponent("pw-scenario-test-\(UUID().uuidString.prefix(8))") : TestEnvironment.temporaryDirectory("scenario")
        defer { try? FileManager.default.removeItem(at: work) }
        let outcomeFile = work.appendingPathComponent("outcome.txt")
        let child = try ChildProcess(
            products.appendingPathComponent("pw-sim").path,
            ["scenario", file, "--port", "\(broker.port)", "--daemon", products.appendingPathComponent("propertywatchd").path,
             "--outcome", outcomeFile.path, "--work-directory", work.path],
            captureOutput: true)
        let output = child.standardOutput?.readDataToEndOfFile() ?? Data()
        status = child.waitForExit()
        report = String(decoding: output, as: UTF8.self)
        outcome = (try? String(contentsOf: outcomeFile, encoding: .utf8)) ?? ""
        withExtendedLifetime(broker) {}
    }
}
