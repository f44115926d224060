import Hummingbird
import HummingbirdAuth

/// The request context of the operator API: Hummingbird's core context plus the
/// authenticated operator, if any.
public struct OperatorRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: OperatorIdentity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }
}
