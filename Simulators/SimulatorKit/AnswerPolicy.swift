import PropertyWatchCore

/// How a simulated patrol unit answers guard requests.
public struct AnswerPolicy: Sendable, Hashable {
    public enum Answer: String, Sendable, Hashable, CaseIterable {
        case accept, decline, ignore
    }

    public var answer: Answer
    /// Time from receiving a request to answering it.
    public var delay: Milliseconds
    /// Time spent at an incident before reporting it cleared.
    public var onSite: Milliseconds
    /// The outcome reported when clearing.
    public var outcome: IncidentOutcome

    public init(answer: Answer = .accept, delay: Milliseconds = .seconds(20), onSite: Milliseconds = .minutes(15), outcome: IncidentOutcome = .falseAlarm) {
        self.answer = answer
        self.delay = delay
        self.onSite = onSite
        self.outcome = outcome
    }
}
