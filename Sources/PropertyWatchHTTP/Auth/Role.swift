/// What an operator may do. Each role includes the ones below it: a viewer reads, an
/// operator also acts on incidents (acknowledge, note, close, silence, directed checks), an
/// admin also reads the audit log.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    /// Rank for comparison: viewer < operator < admin.
    var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// This role and every role it includes.
    var granted: Set<Role> { Set(Role.allCases.filter { $0 <= self }) }
}
