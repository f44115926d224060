import PropertyWatchCore

/// The topics of an active/standby pair named `group` (several pairs, e.g. shards, share a
/// broker under different groups).
public struct HATopics: Sendable, Hashable {
    public var group: String

    public init(group: String) { self.group = group }

    /// The retained lease record.
    public var leader: String { "\(Topic.root)/ha/\(group)/leader" }
    /// Operator commands, journaled by both daemons (QoS 1).
    public var commands: String { "\(Topic.root)/ha/\(group)/commands" }
    /// Each node's presence (role, term), every renewal.
    public func node(_ node: String) -> String { "\(Topic.root)/ha/\(group)/nodes/\(node)" }
    public var nodes: String { "\(Topic.root)/ha/\(group)/nodes/+" }

    /// The outputs a standby watches to learn what the active has published.
    public static let outputs = [
        "\(Topic.root)/units/+/requests",
        "\(Topic.root)/units/+/plan",
        "\(Topic.root)/incidents/+",
        "\(Topic.root)/escalations/+",
        Topic.warnings,
    ]
}
