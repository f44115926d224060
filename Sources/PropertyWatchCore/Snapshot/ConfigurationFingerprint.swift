/// A fingerprint of a configuration that is the same in every process for an equal
/// configuration, and changes with any value in it: a snapshot taken under one fingerprint is
/// not restored under another (`WatchSnapshot`).
///
/// Computed from a canonical text of the value, walked by reflection so no configuration type
/// needs to take part: fields in declaration order, dictionary entries and set elements
/// sorted by their own canonical text (a hash table's order differs between processes). Two
/// FNV-1a hashes of that text with different offsets make 128 bits.
public enum ConfigurationFingerprint {
    public static func of(_ configuration: WatchConfiguration) -> String {
        fingerprint(of: configuration)
    }

    /// The fingerprint of any value (for tests and other configuration parts).
    public static func fingerprint(of value: Any) -> String {
        var text = ""
        canonical(value, into: &text)
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hex(a) + hex(b)
    }

    static func canonical(_ value: Any, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?, .set?:
            let items = mirror.children.map { child -> String in
                var s = ""
                canonical(child.value, into: &s)
                return s
            }.sorted()
            out += "{" + items.joined(separator: ",") + "}"
        case .optional?:
            if let some = mirror.children.first { canonical(some.value, into: &out) } else { out += "nil" }
        case .enum? where !mirror.children.isEmpty:
            for child in mirror.children {
                out += "." + (child.label ?? "") + "("
                canonical(child.value, into: &out)
                out += ")"
            }
        case nil, .enum?:
            if mirror.children.isEmpty {
                out += String(reflecting: value)
                return
            }
            fallthrough
        default:
            out += "\(mirror.subjectType)("
            for child in mirror.children {
                out += (child.label ?? "") + ":"
                canonical(child.value, into: &out)
                out += ";"
            }
            out += ")"
        }
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
