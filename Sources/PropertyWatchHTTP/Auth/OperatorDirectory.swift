import Crypto
import Foundation
import HummingbirdBcrypt
import Synchronization

/// The operators from the users file, and the browser sessions they have opened. Tokens
/// are compared by their SHA-256, passwords with bcrypt; sessions live in memory only, so a
/// restart logs everybody out.
public final class OperatorDirectory: Sendable {
    private let byName: [String: OperatorAccount]
    private let byTokenHash: [String: OperatorAccount]
    private let sessions = Mutex<[String: Session]>([:])
    /// How long a browser session lasts without use.
    public let sessionLifetime: Duration

    private struct Session {
        var identity: OperatorIdentity
        var expires: ContinuousClock.Instant
    }

    public init(accounts: [OperatorAccount], sessionLifetime: Duration = .seconds(12 * 3600)) {
        byName = Dictionary(accounts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        byTokenHash = Dictionary(
            accounts.compactMap { account in account.tokenSHA256.map { ($0, account) } },
            uniquingKeysWith: { first, _ in first })
        self.sessionLifetime = sessionLifetime
    }

    /// The number of operators.
    public var count: Int { byName.count }

    /// The operator whose token this is.
    public func identity(token: String) -> OperatorIdentity? {
        guard let account = byTokenHash[Self.sha256Hex(token)] else { return nil }
        return OperatorIdentity(name: account.name, role: account.role, method: "token")
    }

    /// The operator, if the password matches their bcrypt hash. Slow on purpose (bcrypt):
    /// call it off the event loop.
    public func identity(name: String, password: String) -> OperatorIdentity? {
        guard let account = byName[name], let hash = account.passwordBcrypt,
            Bcrypt.verify(password, hash: hash)
        else { return nil }
        return OperatorIdentity(name: account.name, role: account.role, method: "password")
    }

    /// Opens a session for `identity`; returns its id (the cookie's value).
    public func openSession(for identity: OperatorIdentity) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let id = bytes.map { String(format: "%02x", $0) }.joined()
        var sessionIdentity = identity
        sessionIdentity.method = "session"
        let expires = ContinuousClock.now + sessionLifetime
        sessions.withLock { table in
            let now = ContinuousClock.now
            table = table.filter { $0.value.expires > now }
            table[id] = Session(identity: sessionIdentity, expires: expires)
        }
        return id
    }

    /// The identity of a live session, extending it.
    public func identity(session id: String) -> OperatorIdentity? {
        sessions.withLock { table in
            let now = ContinuousClock.now
            guard var session = table[id], session.expires > now else {
                table[id] = nil
                return nil
            }
            session.expires = now + sessionLifetime
            table[id] = session
            return session.identity
        }
    }

    /// Ends a session.
    public func closeSession(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Lower-case hex SHA-256 of `text`'s UTF-8: how tokens are stored in the users file.
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
