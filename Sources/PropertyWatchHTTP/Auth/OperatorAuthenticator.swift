import Hummingbird
import HummingbirdAuth
import NIOPosix

/// Finds who is calling: a bearer token (`pwctl`, scripts), HTTP Basic with a password, or
/// the dashboard's session cookie. With an open API everyone is `anonymous` (admin).
/// Requests it cannot identify go on without an identity; the role checks answer 401.
struct OperatorAuthenticator: AuthenticatorMiddleware {
    typealias Context = OperatorRequestContext
    let access: OperatorAccess

    /// The dashboard's session cookie.
    static let cookieName = "pw_session"

    func authenticate(request: Request, context: Context) async throws -> OperatorIdentity? {
        guard let directory = access.directory else {
            return OperatorIdentity(name: "anonymous", role: .admin, method: "open")
        }
        if let bearer = request.headers.bearer {
            return directory.identity(token: bearer.token)
        }
        if let basic = request.headers.basic {
            return try await NIOThreadPool.singleton.runIfActive {
                directory.identity(name: basic.username, password: basic.password)
            }
        }
        if let session = request.cookies[Self.cookieName]?.value {
            return directory.identity(session: session)
        }
        return nil
    }
}
