/// A fingerprint of a configuration that is the same in every process for an equal
/// configuration, and changes with any value in it: a snapshot taken under one fingerprint is
/// not restored under another (`WatchSnapshot`).
///
/// It is the 128-bit FNV-1a hash of the configuration's canonical encoding
/// (`CanonicalEncoder`: every field the types' synthesized `Encodable` conformances write,
/// keys sorted, sets and dictionaries in a fixed order), prefixed by `version`. A configuration
/// type that is not `Encodable`, or a field an encoding leaves out, is a change the fingerprint
/// would not see: keep the configuration types' conformances synthesized.
///
/// Changing the encoding or the hash changes every fingerprint, so the first start after an
/// upgrade ignores the snapshots taken before it and replays the whole journal once (the
/// snapshot is refused as `configurationChanged`, never misread). Bump `version` whenever a
/// change here would otherwise keep fingerprints equal while meaning something else.
public enum ConfigurationFingerprint {
    /// The fingerprint format: `v2` is the canonical encoding (`v1`, without a prefix, walked
    /// the configuration by reflection).
    public static let version = "v2"

    public static func of(_ configuration: WatchConfiguration) -> String {
        fingerprint(of: configuration)
    }

    /// The fingerprint of any encodable value (for tests and other configuration parts).
    public static func fingerprint(of value: some Encodable) -> String {
        let bytes: [UInt8]
        do {
            bytes = try CanonicalEncoder.bytes(of: value)
        } catch {
            // The canonical encoder throws nothing, and synthesized conformances throw only
            // what their encoder throws: an error here is a programming error in a conformance.
            preconditionFailure("ConfigurationFingerprint: \(type(of: value)) failed to encode: \(error)")
        }
        return version + "-" + hex(fnv1a128(bytes))
    }

    /// 128-bit FNV-1a.
    static func fnv1a128(_ bytes: [UInt8]) -> UInt128 {
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B
        var hash: UInt128 = 0x6C62_272E_07BB_0142_62B8_2175_6295_C58D
        for byte in bytes {
            hash ^= UInt128(byte)
            hash &*= prime
        }
        return hash
    }

    private static func hex(_ v: UInt128) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 32 - s.count) + s
    }
}
