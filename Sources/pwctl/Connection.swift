import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the daemon is and how to authenticate: shared by every command.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "The daemon's operator API (env PWCTL_URL; default http://127.0.0.1:8480).")
    var url: String?

    @Option(name: .long, help: "API token (env PWCTL_TOKEN). Prefer --token-file: arguments are visible to other users.")
    var token: String?

    @Option(name: .long, help: "File holding the API token (env PWCTL_TOKEN_FILE).")
    var tokenFile: String?

    var baseURL: String {
        let value = url ?? ProcessInfo.processInfo.environment["PWCTL_URL"] ?? "http://127.0.0.1:8480"
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    func resolvedToken() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let token { return token }
        if let value = environment["PWCTL_TOKEN"], !value.isEmpty { return value }
        if let path = tokenFile ?? environment["PWCTL_TOKEN_FILE"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError("cannot read the token file \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// Fails at once with a clear message when nothing listens at the daemon's address
    /// (the HTTP client would retry refused connections until its deadline).
    func checkReachable() throws {
        guard let url = URL(string: baseURL), let host = url.host else { throw CLIError("not a URL: \(baseURL)") }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        guard Reachability.canConnect(host: host, port: port, timeoutSeconds: 3) else {
            throw CLIError("cannot reach propertywatchd at \(baseURL) (nothing answers on \(host):\(port)). Is the daemon running? Set --url or PWCTL_URL.", code: 69)
        }
    }

    /// Sends one request; returns the body of a 2xx answer, else throws a clear error.
    func request(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> Data {
        try checkReachable()
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token = try resolvedToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw CLIError.unreachable(baseURL, error)
        }
        let body = try await response.body.collect(upTo: 32 << 20)
        let data = Data(body.readableBytesView)
        try Self.check(response.status, data)
        return data
    }

    /// Opens a streaming request (for `tail`).
    func stream(_ path: String) async throws -> HTTPClientResponse {
        try checkReachable()
        var request = HTTPClientRequest(url: baseURL + path)
        if let token = try resolvedToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .hours(24 * 365))
        } catch {
            throw CLIError.unreachable(baseURL, error)
        }
        if !(200..<300).contains(response.status.code) {
            let body = try await response.body.collect(upTo: 1 << 20)
            try Self.check(response.status, Data(body.readableBytesView))
        }
        return response
    }

    static func check(_ status: HTTPResponseStatus, _ data: Data) throws {
        guard !(200..<300).contains(status.code) else { return }
        let message = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }.flatMap { $0["message"] as? String }
        switch status.code {
        case 401:
            throw CLIError("the daemon refused the credentials (401 unauthorized): check --token, PWCTL_TOKEN or the token file", code: 77)
        case 403:
            throw CLIError("your role may not do this (403 forbidden)", code: 77)
        default:
            throw CLIError("the daemon answered \(status.code) \(status.reasonPhrase)" + (message.map { ": \($0)" } ?? ""))
        }
    }
}

/// A failure with a message for the operator and an exit code.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var code: Int32

    init(_ description: String, code: Int32 = 1) {
        self.description = description
        self.code = code
    }

    static func unreachable(_ url: String, _ error: any Error) -> CLIError {
        CLIError("cannot reach propertywatchd at \(url) (\(error)). Is the daemon running? Set --url or PWCTL_URL.", code: 69)
    }
}

extension AsyncParsableCommand {
    /// Runs `body`; a `CLIError` is printed to standard error as `pwctl: …` and exits with its code.
    func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("pwctl: \(error.description)\n".utf8))
            throw ExitCode(error.code)
        }
    }
}
