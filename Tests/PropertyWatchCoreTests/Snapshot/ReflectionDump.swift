/// Every stored field of a value as text, walked by reflection: fields in declaration order,
/// dictionary entries and set elements sorted by their own text (a hash table's order differs
/// between runs). Tests compare it to catch a field a snapshot missed; it is not a stable
/// format and has no place outside tests.
enum ReflectionDump {
    static func of(_ value: Any) -> String {
        var out = ""
        text(value, into: &out)
        return out
    }

    static func text(_ value: Any, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?, .set?:
            let items = mirror.children.map { child -> String in
                var s = ""
                text(child.value, into: &s)
                return s
            }.sorted()
            out += "{" + items.joined(separator: ",") + "}"
        case .optional?:
            if let some = mirror.children.first { text(some.value, into: &out) } else { out += "nil" }
        case .enum? where !mirror.children.isEmpty:
            for child in mirror.children {
                out += "." + (child.label ?? "") + "("
                text(child.value, into: &out)
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
                text(child.value, into: &out)
                out += ";"
            }
            out += ")"
        }
    }
}
