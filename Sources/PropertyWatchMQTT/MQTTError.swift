import CMosquitto

/// Every libmosquitto failure, as one error carrying the library's own message.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    /// The libmosquitto return code (`MOSQ_ERR_*`), or -1 for failures outside the library.
    public var code: Int32
    /// What was being done: `connect`, `subscribe`, `publish`, …
    public var operation: String
    /// `mosquitto_strerror(code)`, or a description for non-library failures.
    public var message: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = String(cString: mosquitto_strerror(code))
    }

    public init(operation: String, message: String) {
        self.code = -1
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message) (\(code))" }

    /// Throws unless `code` is `MOSQ_ERR_SUCCESS`.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MQTTError) {
        if code != MOSQ_ERR_SUCCESS.rawValue { throw MQTTError(code: code, operation: operation()) }
    }
}
