/// What a SIA or Contact ID code means to PropertyWatch.
public struct AlarmCodeMeaning: Sendable, Hashable {
    public var eventClass: EventClass
    public var isRestore: Bool
    public var trouble: TroubleKind?
    /// The normalised code, e.g. `SIA:BA` or `CID:E130`.
    public var code: String

    public init(eventClass: EventClass, isRestore: Bool = false, trouble: TroubleKind? = nil, code: String) {
        self.eventClass = eventClass
        self.isRestore = isRestore
        self.trouble = trouble
        self.code = code
    }
}

/// The SIA DC-03 event codes and Contact ID (SIA DC-05) event codes PropertyWatch maps to
/// its own `EventClass`. Unlisted codes are refused as `RejectionReason.unknownCode`.
public enum AlarmCodes {
    /// SIA two-letter codes: code → (class, restore, trouble kind).
    public static let siaTable: [String: (EventClass, Bool, TroubleKind?)] = [
        "BA": (.intrusion, false, nil), "BR": (.intrusion, true, nil), "BV": (.intrusion, false, nil),
        "BB": (.bypass, false, nil), "BU": (.bypass, true, nil),
        "BT": (.trouble, false, .general), "BJ": (.trouble, true, .general),
        "FA": (.fire, false, nil), "FR": (.fire, true, nil),
        "FT": (.trouble, false, .general), "FJ": (.trouble, true, .general),
        "HA": (.holdUp, false, nil), "HR": (.holdUp, true, nil),
        "PA": (.holdUp, false, nil), "PR": (.holdUp, true, nil),
        "TA": (.tamper, false, nil), "TR": (.tamper, true, nil),
        "OP": (.open, false, nil), "OA": (.open, false, nil), "OG": (.open, false, nil),
        "CL": (.close, false, nil), "CA": (.close, false, nil), "CG": (.close, false, nil),
        "RP": (.test, false, nil), "RX": (.test, false, nil),
        "YT": (.trouble, false, .lowBattery), "YR": (.trouble, true, .lowBattery),
        "AT": (.trouble, false, .mainsFailure), "AR": (.trouble, true, .mainsFailure),
        "YC": (.trouble, false, .communication), "YK": (.trouble, true, .communication),
    ]

    /// Our own class names, for matching payload bytes without building strings.
    static let classNames: [(StaticString, EventClass)] = [
        ("intrusion", .intrusion), ("fire", .fire), ("hold-up", .holdUp), ("tamper", .tamper), ("trouble", .trouble),
        ("open", .open), ("close", .close), ("test", .test), ("bypass", .bypass),
    ]

    /// `siaTable` as a 26 × 26 grid over two upper-case letters, with the normalised codes built.
    private static let siaGrid: [AlarmCodeMeaning?] = {
        var grid = [AlarmCodeMeaning?](repeating: nil, count: 26 * 26)
        for code in siaTable.keys {
            let bytes = Array(code.utf8)
            guard bytes.count == 2, let slot = siaSlot(bytes[0], bytes[1]) else { continue }
            grid[slot] = sia(code)
        }
        return grid
    }()

    private static func siaSlot(_ a: UInt8, _ b: UInt8) -> Int? {
        let A = UInt8(ascii: "A"), Z = UInt8(ascii: "Z")
        guard a >= A, a <= Z, b >= A, b <= Z else { return nil }
        return Int(a - A) * 26 + Int(b - A)
    }

    /// The meaning of the SIA code spelled by two bytes, as `sia(_:)`.
    static func sia(_ a: UInt8, _ b: UInt8) -> AlarmCodeMeaning? {
        guard let slot = siaSlot(a, b) else { return nil }
        return siaGrid[slot]
    }

    /// The meaning of the SIA code spelled by `code`'s bytes (no escapes), as `sia(_:)`.
    static func sia(_ code: UnsafeRawBufferPointer) -> AlarmCodeMeaning? {
        code.count == 2 ? sia(code[0], code[1]) : nil
    }

    /// `contactID(_:)` of every `E` and `R` code, `R` codes from 1000 on, with the normalised codes built.
    private static let contactIDGrid: [AlarmCodeMeaning?] = (0..<2000).map { i in
        let event = String(i % 1000)
        return contactID((i < 1000 ? "E" : "R") + String(repeating: "0", count: 3 - event.utf8.count) + event)
    }

    /// The meaning of the Contact ID code spelled by `code`'s bytes (no escapes), as `contactID(_:)`.
    static func contactID(_ code: UnsafeRawBufferPointer) -> AlarmCodeMeaning? {
        guard code.count == 4 else { return nil }
        let offset: Int
        switch code[0] {
        case UInt8(ascii: "E"), UInt8(ascii: "1"): offset = 0
        case UInt8(ascii: "R"), UInt8(ascii: "3"): offset = 1000
        default: return nil
        }
        var event = 0
        for i in 1..<4 {
            let digit = code[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            event = event * 10 + Int(digit)
        }
        return contactIDGrid[offset + event]
    }

    /// The class our own name spells (`classNames`), from a string's bytes (no escapes).
    static func eventClass(named name: UnsafeRawBufferPointer) -> EventClass? {
        for (text, value) in classNames where DeviceLookup.equal(text, name) { return value }
        return nil
    }

    /// The trouble kind whose raw value `name`'s bytes (no escapes) spell.
    static func troubleKind(named name: UnsafeRawBufferPointer) -> TroubleKind? {
        for (text, value) in troubleNames where DeviceLookup.equal(text, name) { return value }
        return nil
    }

    /// `TroubleKind`'s raw values, for matching payload bytes without building strings.
    static let troubleNames: [(StaticString, TroubleKind)] = [
        ("general", .general), ("low-battery", .lowBattery), ("mains-failure", .mainsFailure),
        ("communication", .communication), ("sequence-gap", .sequenceGap),
    ]

    /// The meaning of a SIA code such as `BA`.
    public static func sia(_ code: String) -> AlarmCodeMeaning? {
        guard let (eventClass, restore, trouble) = siaTable[code] else { return nil }
        return AlarmCodeMeaning(eventClass: eventClass, isRestore: restore, trouble: trouble, code: "SIA:" + code)
    }

    /// The class of a Contact ID event number (qualifier aside); nil when not mapped.
    public static func contactIDClass(_ event: Int) -> (EventClass, TroubleKind?)? {
        switch event {
        case 110...118: (.fire, nil)
        case 120...123: (.holdUp, nil)
        case 130...136, 138, 139: (.intrusion, nil)
        case 137, 144, 145, 383: (.tamper, nil)
        case 140...143: (.trouble, .general)
        case 300, 305, 380: (.trouble, .general)
        case 301: (.trouble, .mainsFailure)
        case 302, 309, 311, 384: (.trouble, .lowBattery)
        case 350...354: (.trouble, .communication)
        case 400...409: (.open, nil)
        case 570: (.bypass, nil)
        case 601, 602: (.test, nil)
        default: nil
        }
    }

    /// The meaning of a Contact ID code: a qualifier (`E` or `1` new event, `R` or `3`
    /// restore) and three digits, e.g. `E130`, `3130`. For 400–409 the qualifier tells
    /// opening (new) from closing (restore), and neither is a restore.
    public static func contactID(_ code: String) -> AlarmCodeMeaning? {
        var restore = false
        var event = 0
        var length = 0
        for b in code.utf8 {
            if length == 0 {
                switch b {
                case UInt8(ascii: "E"), UInt8(ascii: "1"): restore = false
                case UInt8(ascii: "R"), UInt8(ascii: "3"): restore = true
                default: return nil
                }
            } else {
                guard length < 4, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                event = event * 10 + Int(b - UInt8(ascii: "0"))
            }
            length += 1
        }
        guard length == 4 else { return nil }
        guard let (eventClass, trouble) = contactIDClass(event) else { return nil }
        let normalised = (restore ? "CID:R" : "CID:E") + String(code.dropFirst())
        if eventClass == .open {
            return AlarmCodeMeaning(eventClass: restore ? .close : .open, isRestore: false, code: normalised)
        }
        return AlarmCodeMeaning(eventClass: eventClass, isRestore: restore, trouble: trouble, code: normalised)
    }
}
