/// One entry of the flat token tape a `JSONScanner` writes.
///
/// Containers hold the tape index just past their last member (`link`) and their member
/// count (`aux`); strings and numbers hold their byte range; keys also hold a hash of
/// their decoded bytes for duplicate detection.
struct JSONToken: Sendable {
    enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// Bits of `flags`.
    static let hasEscapes: UInt8 = 1
    static let isFractional: UInt8 = 2
    static let isNegative: UInt8 = 4

    var kind: Kind
    var flags: UInt8
    /// Byte offset: a string's first content byte, a number's first byte, a container's bracket.
    var start: UInt32
    /// A string's closing quote or a number's end offset; for containers, the tape index after it.
    var link: UInt32
    /// Key hash for strings, member count for containers.
    var aux: UInt32

    init(kind: Kind, flags: UInt8 = 0, start: UInt32, link: UInt32 = 0, aux: UInt32 = 0) {
        self.kind = kind
        self.flags = flags
        self.start = start
        self.link = link
        self.aux = aux
    }
}
