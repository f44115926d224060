import Testing
@testable import PropertyWatchCore

/// The byte-level code look-ups must agree with the string mappings on every code.
@Suite struct AlarmCodesTests {
    static func bytes<R>(_ text: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        text.withUnsafeBytes(body)
    }

    @Test func contactIDBytesAgreeWithTheStringMappingOnEveryCode() {
        var mapped = 0
        for qualifier in UInt8(0x20)..<0x7F {
            for event in 0..<1000 {
                let digits = Array(String(event).utf8)
                let code = [qualifier] + Array(repeating: UInt8(ascii: "0"), count: 3 - digits.count) + digits
                let byBytes = Self.bytes(code) { AlarmCodes.contactID($0) }
                #expect(byBytes == AlarmCodes.contactID(String(decoding: code, as: UTF8.self)), "\(code)")
                if byBytes != nil { mapped += 1 }
            }
        }
        #expect(mapped > 100)
    }

    @Test func contactIDBytesRefuseWhatTheStringMappingRefuses() {
        var rng = SplitMix64(seed: 0xC1D)
        let alphabet = Array("ER13e0123456789 /:A".utf8)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 7)
            let code = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let byBytes = Self.bytes(code) { AlarmCodes.contactID($0) }
            #expect(byBytes == AlarmCodes.contactID(String(decoding: code, as: UTF8.self)), "\(code)")
        }
        for lead in UInt8(0x80)...0xFF {
            #expect(Self.bytes([lead, 0x31, 0x33, 0x30]) { AlarmCodes.contactID($0) } == nil)
        }
    }

    @Test func siaBytesAgreeWithTheStringMappingOnEveryCode() {
        var mapped = 0
        for a in UInt8(0x20)..<0x7F {
            for b in UInt8(0x20)..<0x7F {
                let byBytes = Self.bytes([a, b]) { AlarmCodes.sia($0) }
                #expect(byBytes == AlarmCodes.sia(String(decoding: [a, b], as: UTF8.self)), "\([a, b])")
                if byBytes != nil { mapped += 1 }
            }
        }
        #expect(mapped == AlarmCodes.siaTable.count)
        for code in ["", "B", "BAA", "BA "] {
            #expect(Self.bytes(Array(code.utf8)) { AlarmCodes.sia($0) } == nil)
        }
    }

    @Test func classAndTroubleNamesCoverTheirEnumerations() {
        for eventClass in EventClass.allCases {
            #expect(Self.bytes(Array(eventClass.rawValue.utf8)) { AlarmCodes.eventClass(named: $0) } == eventClass)
        }
        #expect(AlarmCodes.classNames.count == EventClass.allCases.count)
        for kind in TroubleKind.allCases {
            #expect(Self.bytes(Array(kind.rawValue.utf8)) { AlarmCodes.troubleKind(named: $0) } == kind)
        }
        #expect(AlarmCodes.troubleNames.count == TroubleKind.allCases.count)
        for name in ["", "Fire", "fire ", "low_battery", "sequence"] {
            #expect(Self.bytes(Array(name.utf8)) { AlarmCodes.eventClass(named: $0) } == nil)
            #expect(Self.bytes(Array(name.utf8)) { AlarmCodes.troubleKind(named: $0) } == nil)
        }
    }
}
