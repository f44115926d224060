extension Array {
    /// Consecutive pieces of at most `size` elements, in order: how the tests cut a message
    /// stream into the batches `handle(batch:)` gets.
    func batches(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
