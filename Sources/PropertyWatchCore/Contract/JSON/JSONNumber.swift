/// Conversions of validated JSON number text, without traps and without Foundation.
enum JSONNumber {
    /// The integer value, or nil when the text has a fraction or exponent or does not fit.
    static func int64(_ raw: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        var negative = false
        if raw.first == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var value: Int64 = 0
        while i < raw.count {
            let b = raw[i]
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(b - UInt8(ascii: "0"))
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// The nearest `Double`; infinite when the magnitude overflows (e.g. `1e400`).
    static func double(_ raw: UnsafeRawBufferPointer) -> Double {
        var i = 0
        var negative = false
        if raw.first == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var exact = true
        while i < raw.count, let d = digit(raw[i]) {
            if mantissa != 0 || d != 0 { digits += 1 }
            if digits > 19 { exact = false } else { mantissa = mantissa &* 10 &+ UInt64(d) }
            if digits > 19 { exponent += 1 }
            i += 1
        }
        if i < raw.count, raw[i] == UInt8(ascii: ".") {
            i += 1
            while i < raw.count, let d = digit(raw[i]) {
                if mantissa != 0 || d != 0 { digits += 1 }
                if digits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    exponent -= 1
                } else if d != 0 {
                    exact = false
                }
                i += 1
            }
        }
        if i < raw.count, raw[i] == UInt8(ascii: "e") || raw[i] == UInt8(ascii: "E") {
            i += 1
            var negativeExponent = false
            if i < raw.count, raw[i] == UInt8(ascii: "-") || raw[i] == UInt8(ascii: "+") {
                negativeExponent = raw[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < raw.count, let d = digit(raw[i]) {
                if e < 100_000 { e = e * 10 + d }
                i += 1
            }
            exponent += negativeExponent ? -e : e
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        // Clinger's fast path: both operands exact, one correctly rounded operation.
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent < 0 ? m / powersOfTen[-exponent] : m * powersOfTen[exponent]
            return negative ? -value : value
        }
        return Double(String(decoding: raw, as: UTF8.self)) ?? .nan
    }

    private static func digit(_ b: UInt8) -> Int? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
