import Synchronization

/// Inputs that do not come through the broker, waiting for the pipeline's next commit:
/// operator commands and webhook outcomes (`OperatorInput`), and external inputs in the
/// broker's form (the Frigate backfill's events). Thread-safe.
///
/// The pipeline `take`s what waits for the commit under way; once that commits it calls
/// `committed()`, and when it fails `requeue()`, which puts the taken inputs back in front of
/// anything submitted since, in their order.
public final class OperatorInputQueue: Sendable {
    /// An input in the broker's form.
    public struct External: Sendable, Equatable {
        public var topic: String
        public var payload: [UInt8]

        public init(topic: String, payload: [UInt8]) {
            self.topic = topic
            self.payload = payload
        }
    }

    /// What one `take` handed out.
    public struct Taken: Sendable, Equatable {
        public var inputs: [OperatorInput] = []
        public var externals: [External] = []

        public var isEmpty: Bool { inputs.isEmpty && externals.isEmpty }
    }

    private struct State {
        var waiting = Taken()
        var taken = Taken()
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues an operator command or a webhook result.
    public func submit(_ input: OperatorInput) {
        state.withLock { $0.waiting.inputs.append(input) }
    }

    /// Queues an input in the broker's form.
    public func submit(topic: String, payload: [UInt8]) {
        state.withLock { $0.waiting.externals.append(External(topic: topic, payload: payload)) }
    }

    /// Whether anything waits (taken inputs not yet committed do not count).
    public var hasWaiting: Bool { state.withLock { !$0.waiting.isEmpty } }

    /// Hands out everything waiting, for the commit under way; it stays taken until
    /// `committed()` or `requeue()`.
    public func take() -> Taken {
        state.withLock { state in
            let waiting = state.waiting
            state.waiting = Taken()
            state.taken.inputs.append(contentsOf: waiting.inputs)
            state.taken.externals.append(contentsOf: waiting.externals)
            return waiting
        }
    }

    /// The commit that took inputs succeeded: they are done.
    public func committed() {
        state.withLock { $0.taken = Taken() }
    }

    /// The commit that took inputs failed: they wait again, ahead of newer ones.
    public func requeue() {
        state.withLock { state in
            guard !state.taken.isEmpty else { return }
            state.waiting.inputs.insert(contentsOf: state.taken.inputs, at: 0)
            state.waiting.externals.insert(contentsOf: state.taken.externals, at: 0)
            state.taken = Taken()
        }
    }
}
