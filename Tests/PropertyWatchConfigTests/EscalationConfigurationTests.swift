import PropertyWatchConfig
import PropertyWatchCore
import Testing

/// `patrol.escalation.chains`: read into `EscalationConfiguration`, laid over the dispatch
/// policy's chains; every mistake reported with its file, line and key.
@Suite struct EscalationConfigurationTests {
    static let escalation = """
        patrol:
          escalation:
            central_webhook_url: https://central.example/hook
            on_call: "+46 70 174 06 05"
            chains:
        """

    static let cases: [BrokenCase] = [
        BrokenCase(yaml: appending(escalation + "\n      firre: {units: 1}"),
                   key: "patrol.escalation.chains.firre", line: 16, reason: "unknown key 'firre'; did you mean 'fire'?"),
        BrokenCase(yaml: appending(escalation + "\n      fire: {units: 0}"),
                   key: "patrol.escalation.chains.fire.units", line: 16, reason: "0 is out of range 1…20"),
        BrokenCase(yaml: appending(escalation + "\n      default: {unit_timeout_seconds: 5}"),
                   key: "patrol.escalation.chains.default.unit_timeout_seconds", line: 16, reason: "5 is out of range 10…3600"),
        BrokenCase(yaml: appending(escalation + "\n      hold-up: {central_timeout_seconds: ten}"),
                   key: "patrol.escalation.chains.hold-up.central_timeout_seconds", line: 16, reason: "expected a whole number, found 'ten'"),
        BrokenCase(yaml: appending(escalation + "\n      fire:\n        notify_at_once: [police]"),
                   key: "patrol.escalation.chains.fire.notify_at_once[0]", line: 17, reason: "'police' is not one of central, on-call"),
        BrokenCase(yaml: appending(escalation + "\n      fire: {notify_at_once: [on-call, on-call]}"),
                   key: "patrol.escalation.chains.fire.notify_at_once[1]", line: 16, reason: "'on-call' is listed twice"),
        BrokenCase(yaml: appending("""
            patrol:
              escalation:
                chains:
                  fire:
                    notify_at_once: [central]
            """), key: "patrol.escalation.chains.fire.notify_at_once[0]", line: 15, reason: "no central_webhook_url is configured"),
        BrokenCase(yaml: appending("""
            patrol:
              escalation:
                chains: {default: {central_timeout_seconds: 120}}
            """), key: "patrol.escalation.chains.default.central_timeout_seconds", line: 13,
            reason: "no on_call contact is configured to tell", severity: .warning),
        BrokenCase(yaml: appending(escalation + "\n      fire: {notify_at_once: central}"),
                   key: "patrol.escalation.chains.fire.notify_at_once", line: 16, reason: "expected a list"),
        BrokenCase(yaml: appending(escalation + "\n      trouble: {check_instead: sometimes}"),
                   key: "patrol.escalation.chains.trouble.check_instead", line: 16, reason: "expected true or false"),
    ]

    @Test(arguments: cases)
    func brokenChainIsReported(_ broken: BrokenCase) {
        let problems = ConfigurationLoader.validate(yaml: broken.yaml, file: "test.yaml")
        let match = problems.first { $0.key == broken.key && $0.reason.contains(broken.reason) }
        #expect(match != nil, "got:\n\(problems.map(\.description).joined(separator: "\n"))")
        #expect(match?.line == broken.line)
        #expect(match?.severity == broken.severity)
    }

    @Test func chainsAreReadAndLaidOverThePolicy() throws {
        let yaml = appending(Self.escalation + """

                  default: {unit_timeout_seconds: 90, central_timeout_seconds: 300}
                  fire: {unit_timeout_seconds: 45, units: 2, notify_at_once: [on-call, central]}
                  verified-intrusion: {units: 1}
                  hold-up: {notify_at_once: []}
                  unverified-intrusion: {check_instead: true}
            """)
        #expect(ConfigurationLoader.validate(yaml: yaml, file: "ok.yaml").isEmpty)
        let escalation = try ConfigurationLoader.parse(yaml: yaml, file: "ok.yaml").watch.patrol.escalation
        #expect(escalation.defaultChain == EscalationChain(unitTimeout: .seconds(90), centralTimeout: .seconds(300)))
        #expect(escalation.chains[.fire] == EscalationChain(unitTimeout: .seconds(45), maxUnits: 2, atOnce: [.onCall, .central]))
        let policy = DispatchPolicy().applying(escalation)
        #expect(policy.acknowledgementTimeout(for: .fire) == .seconds(45))
        #expect(policy.acknowledgementTimeout(for: .trouble) == .seconds(90))
        #expect(policy.chain(for: .verifiedIntrusion) == EscalationChain(unitTimeout: .seconds(90), maxUnits: 1, centralTimeout: .seconds(300)))
        // An empty list turns the built-in "on-call at once" off.
        #expect(policy.chain(for: .holdUp).atOnce == [])
        #expect(policy.chain(for: .fire).centralTimeout == .seconds(300))
        #expect(policy.chain(for: .unverifiedIntrusion).checkInstead == true)
        #expect(policy.chain(for: .fire).checkInstead == nil)
    }
}
