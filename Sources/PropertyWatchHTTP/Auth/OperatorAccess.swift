/// Who may use the operator API: everybody (no users file; for loopback and tests), or the
/// operators of a users file.
public struct OperatorAccess: Sendable {
    /// The operators, or nil when the API is open.
    public var directory: OperatorDirectory?
    /// Whether `/health` and `/metrics` answer without credentials.
    public var openHealthAndMetrics: Bool

    public init(directory: OperatorDirectory?, openHealthAndMetrics: Bool = true) {
        self.directory = directory
        self.openHealthAndMetrics = openHealthAndMetrics
    }

    /// No authentication: every request acts as `anonymous` with the admin role.
    public static let open = OperatorAccess(directory: nil)
}
