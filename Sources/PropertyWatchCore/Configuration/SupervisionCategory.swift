/// The supervision categories of EN 50136-1 for alarm transmission systems: single path
/// (SP) and dual path (DP), each with the longest time within which a failed path must be
/// reported. A device configured with a category is supervised at that interval.
public enum SupervisionCategory: String, Sendable, Hashable, CaseIterable, Codable {
    case sp1 = "SP1", sp2 = "SP2", sp3 = "SP3", sp4 = "SP4", sp5 = "SP5", sp6 = "SP6"
    case dp1 = "DP1", dp2 = "DP2", dp3 = "DP3", dp4 = "DP4"

    /// The reporting interval in seconds (for dual path, that of the primary path).
    public var intervalSeconds: Int {
        switch self {
        case .sp1: 32 * 86_400
        case .sp2: 25 * 3_600
        case .sp3: 30 * 60
        case .sp4: 180
        case .sp5: 90
        case .sp6: 20
        case .dp1: 25 * 3_600
        case .dp2: 30 * 60
        case .dp3: 180
        case .dp4: 90
        }
    }
}
