import HummingbirdAuth

/// Who made a request: an operator from the users file, or `anonymous` when the API runs
/// without one (loopback only).
public struct OperatorIdentity: Sendable, Hashable, RoleProviding {
    public var name: String
    public var role: Role
    /// How the request was authenticated: `token`, `password`, `session` or `open`.
    public var method: String

    public init(name: String, role: Role, method: String) {
        self.name = name
        self.role = role
        self.method = method
    }

    /// Every role this identity holds (its own and those it includes).
    public var roles: Set<Role> { role.granted }
}
