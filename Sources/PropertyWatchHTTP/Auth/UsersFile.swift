import Foundation

/// Reads the users file that `http.users_file` names. One operator per line:
///
///     # name   role      secrets
///     anna     operator  token=sha256:<64 hex>  password=bcrypt:$2b$12$…
///     ops      admin     token=sha256:<64 hex>
///
/// Blank lines and `#` comments are skipped. Roles are `viewer`, `operator`, `admin`. Each
/// line needs at least one of `token=` or `password=`. `pwctl hash-token` and
/// `pwctl hash-password` print the values.
public enum UsersFile {
    /// A problem in the file, as `file:line: reason`.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Loads and parses `path`.
    public static func load(path: String) throws -> [OperatorAccount] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(file: path, line: 0, reason: "cannot read the users file")
        }
        return try parse(text, file: path)
    }

    /// Parses the file's text; throws the first problem.
    public static func parse(_ text: String, file: String) throws -> [OperatorAccount] {
        var accounts: [OperatorAccount] = []
        var names: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            func fail(_ reason: String) -> Problem { Problem(file: file, line: lineNumber, reason: reason) }
            guard fields.count >= 3 else { throw fail("expected: name role token=sha256:HEX and/or password=bcrypt:HASH") }
            let name = fields[0]
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), name.count <= 64 else {
                throw fail("name: letters, digits, '-', '_' and '.' only (at most 64)")
            }
            guard names.insert(name).inserted else { throw fail("name: \(name) appears twice") }
            guard let role = Role(rawValue: fields[1]) else { throw fail("role: \(fields[1]) is not viewer, operator or admin") }
            var account = OperatorAccount(name: name, role: role)
            for field in fields.dropFirst(2) {
                if field.hasPrefix("token=") {
                    guard field.hasPrefix("token=sha256:") else { throw fail("token: expected sha256: and 64 hex digits") }
                    let hex = String(field.dropFirst("token=sha256:".count)).lowercased()
                    guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { throw fail("token: expected sha256: and 64 hex digits") }
                    account.tokenSHA256 = hex
                } else if field.hasPrefix("password=") {
                    guard field.hasPrefix("password=bcrypt:") else { throw fail("password: expected bcrypt: and a 60-character $2b$ hash") }
                    let hash = String(field.dropFirst("password=bcrypt:".count))
                    guard hash.hasPrefix("$2"), hash.count == 60 else { throw fail("password: expected bcrypt: and a 60-character $2b$ hash") }
                    account.passwordBcrypt = hash
                } else {
                    throw fail("unknown field \(field.prefix(24)) (secrets are never stored in clear: use token=sha256:… or password=bcrypt:…)")
                }
            }
            accounts.append(account)
        }
        return accounts
    }
}
