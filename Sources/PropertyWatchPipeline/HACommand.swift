import Foundation

/// An operator command on its way to both daemons of a pair, with the id both deduplicate by.
public struct HACommand: Sendable, Hashable, Codable {
    public var id: String
    public var input: OperatorInput

    public init(id: String = UUID().uuidString, input: OperatorInput) {
        self.id = id
        self.input = input
    }

    public func encoded() -> [UInt8] { (try? Array(JSONEncoder().encode(self))) ?? [] }

    public static func decode(_ payload: [UInt8]) -> HACommand? {
        try? JSONDecoder().decode(HACommand.self, from: Data(payload))
    }
}

/// The ids of commands already applied, the most recent `limit` of them.
struct SeenCommands {
    private var ids: Set<String> = []
    private var order: [String] = []
    private var start = 0
    let limit: Int

    init(limit: Int = 10_000) { self.limit = limit }

    /// Whether `id` is new (and now remembered).
    mutating func insert(_ id: String) -> Bool {
        guard ids.insert(id).inserted else { return false }
        order.append(id)
        if order.count - start > limit {
            ids.remove(order[start])
            start += 1
            if start > limit {
                order.removeFirst(start)
                start = 0
            }
        }
        return true
    }
}
