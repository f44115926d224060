/// One line of the users file: an operator's name, role, and the hashes of their token
/// and/or password (never the secrets themselves).
public struct OperatorAccount: Sendable, Hashable {
    public var name: String
    public var role: Role
    /// Lower-case hex SHA-256 of the API token.
    public var tokenSHA256: String?
    /// A bcrypt hash (`$2b$…`) of the password.
    public var passwordBcrypt: String?

    public init(name: String, role: Role, tokenSHA256: String? = nil, passwordBcrypt: String? = nil) {
        self.name = name
        self.role = role
        self.tokenSHA256 = tokenSHA256
        self.passwordBcrypt = passwordBcrypt
    }
}
