/// Typed, validating access to the members of one JSON object of a payload. Every failure
/// is a `Rejection` naming the field (with its path, e.g. `after.camera`) and an excerpt.
struct FieldReader {
    let document: JSONDocument
    let object: Int
    /// The path of `object` inside the payload, empty for the root.
    let path: String

    /// Longest accepted identifier (site, device, zone, unit, incident, event ids), in bytes.
    static let maxIdentifierBytes = 64
    /// Longest accepted free text (notes, snapshot references), in bytes.
    static let maxTextBytes = 512

    init(document: JSONDocument, object: Int, path: String = "") {
        self.document = document
        self.object = object
        self.path = path
    }

    func name(_ field: StaticString) -> String { path.isEmpty ? "\(field)" : "\(path).\(field)" }

    /// The member's tape index; nil when absent or `null`.
    func optional(_ field: StaticString) -> Int? {
        guard let index = document.member(field, of: object), document[index].kind != .null else { return nil }
        return index
    }

    /// The member's tape index; refused when absent or `null`.
    func required(_ field: StaticString) throws(Rejection) -> Int {
        guard let index = document.member(field, of: object) else { throw Rejection(.missingField, name(field)) }
        guard document[index].kind != .null else { throw invalid(field, "expected a value", index) }
        return index
    }

    func contains(_ field: StaticString) -> Bool { optional(field) != nil }

    func invalid(_ field: StaticString, _ expectation: String, _ index: Int) -> Rejection {
        Rejection(.invalidField, "\(name(field)): \(expectation), found \(describe(index))")
    }

    /// A short rendering of the value at `index`.
    func describe(_ index: Int) -> String {
        switch document[index].kind {
        case .object: "an object"
        case .array: "an array"
        case .true: "true"
        case .false: "false"
        case .null: "null"
        case .number: Excerpt.of(document.raw(index))
        case .string: "\"\(Excerpt.of(document.raw(index)))\""
        }
    }

    // MARK: Checks common to every message

    /// `"v": 1`.
    func version() throws(Rejection) {
        let index = try required("v")
        guard document[index].kind == .number, document[index].flags == 0,
            JSONNumber.int64(document.raw(index)) == 1
        else { throw invalid("v", "expected contract version 1", index) }
    }

    /// An optional member naming a site, device or unit must agree with the topic.
    func matchTopic(_ field: StaticString, _ expected: String) throws(Rejection) {
        guard let index = optional(field) else { return }
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        guard document.string(index, equals: expected) else {
            throw Rejection(
                .topicMismatch,
                "\(name(field)): \"\(Excerpt.of(document.raw(index)))\" in payload, \"\(Excerpt.of(expected))\" in topic")
        }
    }

    // MARK: Strings

    func stringIndex(_ field: StaticString) throws(Rejection) -> Int {
        let index = try required(field)
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        return index
    }

    /// An identifier: 1…64 bytes, no control characters, no MQTT topic characters (`/ + #`).
    func identifier<ID: StringIdentifier>(_ field: StaticString, as type: ID.Type = ID.self) throws(Rejection) -> ID {
        ID(try identifierString(field, at: stringIndex(field)))
    }

    func optionalIdentifier<ID: StringIdentifier>(_ field: StaticString, as type: ID.Type = ID.self) throws(Rejection) -> ID? {
        guard let index = optional(field) else { return nil }
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        return ID(try identifierString(field, at: index))
    }

    /// An optional zone; when it spells `configured` or one of `siteZones`, that value (and its
    /// string) is reused instead of building a new one.
    func optionalIdentifier(_ field: StaticString, reusing configured: ZoneID?, _ siteZones: [ZoneID]) throws(Rejection) -> ZoneID? {
        guard let index = optional(field) else { return nil }
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        try validateIdentifier(field, at: index)
        let length = document.raw(index).count
        if let configured, configured.rawValue.utf8.count == length, document.string(index, equals: configured.rawValue) {
            return configured
        }
        for zone in siteZones where zone.rawValue.utf8.count == length {
            if document.string(index, equals: zone.rawValue) { return zone }
        }
        return ZoneID(document.string(index))
    }

    func identifierString(_ field: StaticString, at index: Int) throws(Rejection) -> String {
        try validateIdentifier(field, at: index)
        return document.string(index)
    }

    private func validateIdentifier(_ field: StaticString, at index: Int) throws(Rejection) {
        let raw = document.raw(index)
        var valid = !raw.isEmpty && raw.count <= Self.maxIdentifierBytes
        if document[index].flags & JSONToken.hasEscapes != 0 {
            let decoded = document.decodedBytes(document[index])
            valid = !decoded.isEmpty && decoded.count <= Self.maxIdentifierBytes && decoded.allSatisfy(Self.isIdentifierByte)
        } else if valid {
            for b in raw where !Self.isIdentifierByte(b) {
                valid = false
                break
            }
        }
        guard valid else {
            throw invalid(field, "expected an identifier (1–\(Self.maxIdentifierBytes) bytes, no control or / + # characters)", index)
        }
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        b >= 0x20 && b != 0x7F && b != UInt8(ascii: "/") && b != UInt8(ascii: "+") && b != UInt8(ascii: "#")
    }

    /// Free text up to `maxBytes`.
    func optionalText(_ field: StaticString, maxBytes: Int = maxTextBytes) throws(Rejection) -> String? {
        guard let index = optional(field) else { return nil }
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        let value = document.string(index)
        guard value.utf8.count <= maxBytes else { throw invalid(field, "expected at most \(maxBytes) bytes", index) }
        return value
    }

    /// One of the raw values of `E`.
    func enumeration<E: RawRepresentable & CaseIterable>(_ field: StaticString, as type: E.Type = E.self) throws(Rejection) -> E
    where E.RawValue == String {
        try enumeration(field, at: stringIndex(field))
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ field: StaticString, as type: E.Type = E.self) throws(Rejection) -> E?
    where E.RawValue == String {
        guard let index = optional(field) else { return nil }
        guard document[index].kind == .string else { throw invalid(field, "expected a string", index) }
        return try enumeration(field, at: index)
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ field: StaticString, at index: Int) throws(Rejection) -> E
    where E.RawValue == String {
        if document.raw(index).count <= 32, let value = E(rawValue: document.string(index)) { return value }
        let expected = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw invalid(field, "expected one of \(expected)", index)
    }

    // MARK: Other scalars

    func optionalBool(_ field: StaticString) throws(Rejection) -> Bool? {
        guard let index = optional(field) else { return nil }
        switch document[index].kind {
        case .true: return true
        case .false: return false
        default: throw invalid(field, "expected true or false", index)
        }
    }

    /// A non-negative integer that fits in 63 bits (no sign, fraction or exponent).
    func unsigned(_ field: StaticString) throws(Rejection) -> UInt64 {
        let index = try required(field)
        let token = document[index]
        guard token.kind == .number, token.flags == 0, let value = JSONNumber.int64(document.raw(index)) else {
            throw invalid(field, "expected a non-negative integer", index)
        }
        return UInt64(value)
    }

    /// A finite number within `range`.
    func double(_ field: StaticString, in range: ClosedRange<Double>) throws(Rejection) -> Double {
        try double(field, at: required(field), in: range)
    }

    func optionalDouble(_ field: StaticString, in range: ClosedRange<Double>) throws(Rejection) -> Double? {
        guard let index = optional(field) else { return nil }
        return try double(field, at: index, in: range)
    }

    func double(_ field: StaticString, at index: Int, in range: ClosedRange<Double>) throws(Rejection) -> Double {
        guard document[index].kind == .number else { throw invalid(field, "expected a number", index) }
        let value = JSONNumber.double(document.raw(index))
        guard value.isFinite, range.contains(value) else {
            throw invalid(field, "expected a number in \(range.lowerBound)…\(range.upperBound)", index)
        }
        return value
    }

    // MARK: Time

    /// Epoch milliseconds (a non-negative integer) or an RFC 3339 string.
    func timestamp(_ field: StaticString) throws(Rejection) -> Timestamp {
        try timestamp(field, at: required(field))
    }

    func optionalTimestamp(_ field: StaticString) throws(Rejection) -> Timestamp? {
        guard let index = optional(field) else { return nil }
        return try timestamp(field, at: index)
    }

    func timestamp(_ field: StaticString, at index: Int) throws(Rejection) -> Timestamp {
        let token = document[index]
        switch token.kind {
        case .number:
            guard token.flags == 0, let ms = JSONNumber.int64(document.raw(index)) else {
                throw invalid(field, "expected epoch milliseconds (a non-negative integer)", index)
            }
            return Timestamp(millisecondsSinceEpoch: ms)
        case .string:
            guard token.flags & JSONToken.hasEscapes == 0, let time = RFC3339.parse(document.raw(index)) else {
                throw invalid(field, "expected an RFC 3339 date-time", index)
            }
            return time
        default:
            throw invalid(field, "expected epoch milliseconds or an RFC 3339 date-time", index)
        }
    }

    /// Epoch seconds as a (fractional) number, Frigate style.
    func secondsTimestamp(_ field: StaticString, at index: Int) throws(Rejection) -> Timestamp {
        let seconds = try double(field, at: index, in: 0...1e11)
        return Timestamp(millisecondsSinceEpoch: Int64((seconds * 1000).rounded()))
    }
}

extension DecodingLimits {
    /// For device events that may have been buffered: `time` may be up to `lateWindow` behind
    /// `receivedAt` (then it is late: true), never more than `maxClockSkew` ahead of it.
    func checkAge(_ time: Timestamp, field: String, receivedAt: Timestamp) throws(Rejection) -> Bool {
        let (difference, overflow) = time.millisecondsSinceEpoch.subtractingReportingOverflow(receivedAt.millisecondsSinceEpoch)
        guard !overflow, difference < -maxClockSkew.value, lateWindow.value > maxClockSkew.value else {
            try checkSkew(time, field: field, receivedAt: receivedAt)
            return false
        }
        guard difference >= -lateWindow.value else {
            throw Rejection(
                .tooLate,
                "\(field): \(time.millisecondsSinceEpoch) is \(difference.magnitude / 1000) s behind receive time \(receivedAt.millisecondsSinceEpoch), older than the late window (max \(lateWindow.value / 1000) s)")
        }
        return true
    }

    /// Refuses `time` when it is more than `maxClockSkew` away from `receivedAt`.
    func checkSkew(_ time: Timestamp, field: String, receivedAt: Timestamp) throws(Rejection) {
        try checkSkew(time, field: field, receivedAt: receivedAt, past: true, future: true)
    }

    func checkSkew(
        _ time: Timestamp, field: String, receivedAt: Timestamp, past: Bool, future: Bool
    ) throws(Rejection) {
        let (difference, overflow) = time.millisecondsSinceEpoch.subtractingReportingOverflow(receivedAt.millisecondsSinceEpoch)
        let limit = maxClockSkew.value
        if overflow || (future && difference > limit) || (past && difference < -limit) {
            let direction = overflow ? "far" : difference > 0 ? "ahead of" : "behind"
            let amount = overflow ? "" : "\(difference.magnitude / 1000) s "
            throw Rejection(
                .clockSkew,
                "\(field): \(time.millisecondsSinceEpoch) is \(amount)\(direction) receive time \(receivedAt.millisecondsSinceEpoch) (max \(limit / 1000) s)")
        }
    }
}
