import PropertyWatchConfig
import Testing

/// The `ha:` section: an active/standby pair, off by default.
@Suite struct HAConfigurationTests {
    @Test func offByDefault() throws {
        let ha = try ConfigurationLoader.parse(yaml: validBase, file: "t.yaml").daemon.ha
        #expect(!ha.enabled)
        #expect(ha.node == nil)
        #expect(ha.group == "main")
        #expect(ha.silenceSeconds == 6)
        #expect(ha.shard == nil)
    }

    @Test func keysAreRead() throws {
        let yaml = prefixing("ha: {enabled: true, node: a, group: shard-1, silence_seconds: 2.5, shard: {index: 1, count: 3}}")
        let ha = try ConfigurationLoader.parse(yaml: yaml, file: "t.yaml").daemon.ha
        #expect(ha.enabled)
        #expect(ha.node == "a")
        #expect(ha.group == "shard-1")
        #expect(ha.silenceSeconds == 2.5)
        #expect(ha.shard == ShardSettings(index: 1, count: 3))
    }

    static let cases: [BrokenCase] = [
        BrokenCase(yaml: prefixing("ha:\n  silence_seconds: 0.1"), key: "ha.silence_seconds", line: 2, reason: "out of range"),
        BrokenCase(yaml: prefixing("ha:\n  silence_seconds: 30"), key: "ha.silence_seconds", line: 2, reason: "the documented bound is 10 s", severity: .warning),
        BrokenCase(yaml: prefixing("ha:\n  shard: {index: 2, count: 2}"), key: "ha.shard.index", line: 2, reason: "index 2 is not below count 2"),
        BrokenCase(yaml: prefixing("ha:\n  shard: {index: 0}"), key: "ha.shard.count", line: 2, reason: "missing required key 'count'"),
        BrokenCase(yaml: prefixing("ha:\n  node: \"a b\""), key: "ha.node", line: 2, reason: "is not a valid id"),
        BrokenCase(yaml: prefixing("ha:\n  silense_seconds: 2"), key: "ha.silense_seconds", line: 2, reason: "did you mean 'silence_seconds'?"),
    ]

    @Test(arguments: cases)
    func brokenSectionIsReported(_ broken: BrokenCase) {
        let problems = ConfigurationLoader.validate(yaml: broken.yaml, file: "test.yaml")
        let match = problems.first { $0.key == broken.key && $0.reason.contains(broken.reason) }
        #expect(match != nil, "got:\n\(problems.map(\.description).joined(separator: "\n"))")
        #expect(match?.line == broken.line)
        #expect(match?.severity == broken.severity)
    }
}
