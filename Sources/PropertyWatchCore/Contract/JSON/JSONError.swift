/// Why a payload is not acceptable JSON, with the byte offset where the scanner stopped.
struct JSONError: Error, Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case malformed
        case invalidUTF8
        case duplicateKey
        case tooDeep
    }

    var kind: Kind
    var offset: Int
    var message: String

    init(_ kind: Kind, at offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    /// The dead-letter form of this error.
    var rejection: Rejection {
        switch kind {
        case .malformed, .tooDeep: Rejection(.malformedJSON, "\(message) at byte \(offset)")
        case .invalidUTF8: Rejection(.invalidUTF8, "\(message) at byte \(offset)")
        case .duplicateKey: Rejection(.duplicateKey, "\(message) at byte \(offset)")
        }
    }
}
