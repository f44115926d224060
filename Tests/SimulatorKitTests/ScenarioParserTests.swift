import PropertyWatchCore
import Testing
@testable import SimulatorKit

struct ScenarioParserTests {
    @Test(arguments: [
        ("22:40", "2026-11-25 22:40"), ("17:00", "2026-11-26 17:00"), ("01:15:30", "2026-11-26 01:15:30"),
        ("+2h30m", "2026-11-25 20:30"), ("2026-11-26 03:00", "2026-11-26 03:00"),
    ])
    func times(_ text: String, _ expected: String) {
        let start = ScenarioTime.dateTime("2026-11-25 18:00")!
        #expect(ScenarioTime.instant(text, after: start) == ScenarioTime.dateTime(expected))
    }

    @Test func autumnOverlapTakesTheFirstAndOffsetsReachTheSecond() {
        let start = ScenarioTime.dateTime("2026-10-24 18:00")!  // CEST, 16:00 UTC
        let first = ScenarioTime.instant("02:30", after: start)!
        let second = ScenarioTime.instant("+9h30m", after: start)!
        #expect(second - first == .hours(1))
        #expect(ScenarioTime.format(first) == "02:30:00 CEST")
        #expect(ScenarioTime.format(second) == "02:30:00 CET")
    }

    @Test(arguments: [("90", 90_000), ("30s", 30_000), ("2m", 120_000), ("1h30m", 5_400_000)] as [(String, Int64)])
    func durations(_ text: String, _ ms: Int64) {
        #expect(ScenarioTime.duration(text) == Milliseconds(ms))
    }

    @Test func parsesAFullScenario() throws {
        let s = try ScenarioParser.parse(yaml: """
            name: demo
            start: "2026-11-27 18:00"
            end: "06:00"
            seed: 5
            step: 30s
            patrol:
              drive_routes: false
              default: ignore
              units:
                P1: {answer: accept, delay: 45s, on_site: 20m, outcome: vandalism}
            events:
              - at: "22:41"
                camera: {site: brohuset, camera: cam-torget, label: vehicle, format: frigate}
              - at: "22:40"
                alarm: {site: brohuset, device: gb-torget, class: intrusion}
              - at: "23:00"
                flood: {site: brohuset, device: pir-kontor, per_minute: 60, for: 2m}
              - at: "23:30"
                fault: {site: brohuset, device: panel, mode: clock_skew, skew: -20m}
            expect:
              incidents:
                - {site: brohuset, priority: vandalism, requested: [P1], escalations: []}
              only_listed_incidents: false
              warnings: [{code: flood}]
            """, file: "/x/demo.yaml")
        #expect(s.configurationPath == "/config/upplands-bro.yaml")
        #expect(s.end - s.start == .hours(12))
        #expect(s.step == .seconds(30))
        #expect(!s.drivesRoutes)
        #expect(s.defaultPolicy.answer == .ignore)
        #expect(s.units["P1"] == AnswerPolicy(answer: .accept, delay: .seconds(45), onSite: .minutes(20), outcome: .vandalism))
        #expect(s.events.count == 4)
        if case .alarm(let site, _, _, _, _, _) = s.events[0].action { #expect(site == "brohuset") } else { Issue.record("events not sorted by time") }
        if case .fault(_, _, .clockSkew(let skew)?) = s.events[3].action { #expect(skew == .minutes(-20)) } else { Issue.record("no skew") }
        #expect(s.expectation.incidents == [ExpectedIncident(site: "brohuset", priority: .vandalism, requested: ["P1"], escalations: [])])
        #expect(!s.expectation.onlyListedIncidents)
        #expect(s.expectation.warnings == [ExpectedWarning(code: "flood")])
    }

    @Test func reportsEveryProblemWithItsPath() {
        #expect(throws: ScenarioError.self) {
            try ScenarioParser.parse(yaml: """
                start: "2026-11-27 18:00"
                colour: blue
                events:
                  - at: "25:00"
                    alarm: {site: brohuset, device: panel}
                  - at: "22:00"
                    alarm: {site: brohuset}
                    camera: {site: brohuset, camera: c}
                expect:
                  incidents: [{site: brohuset, priority: urgent}]
                """, file: "bad.yaml")
        }
        do {
            _ = try ScenarioParser.parse(yaml: "start: \"2026-11-27 18:00\"\ncolour: blue\nevents:\n  - at: \"25:00\"\n    alarm: {site: a, device: b}\nexpect:\n  incidents: [{site: a, priority: urgent}]\n", file: "bad.yaml")
        } catch let error as ScenarioError {
            #expect(error.problems.contains { $0.hasPrefix("colour: unknown key") })
            #expect(error.problems.contains { $0.hasPrefix("events[0].at: \"25:00\" is not a time") })
            #expect(error.problems.contains { $0.hasPrefix("expect.incidents[0].priority: unknown priority") })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyLibraryScenarioParsesAndNamesConfiguredThings() throws {
        let directory = SimulatorFixture.repositoryRoot.appendingPathComponent("deploy/scenarios")
        let files = try FileManagerShim.yamlFiles(in: directory.path)
        #expect(files.count >= 9)
        for file in files {
            let s = try ScenarioParser.load(path: file)
            #expect(s.configurationPath.hasSuffix("deploy/config/upplands-bro.yaml"), "\(file)")
            #expect(Simulation.problems(s, configuration: SimulatorFixture.configuration).isEmpty, "\(file)")
        }
    }
}

import Foundation

enum FileManagerShim {
    static func yamlFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted().map { "\(directory)/\($0)" }
    }
}
