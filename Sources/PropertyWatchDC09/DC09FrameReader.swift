/// Cuts a byte stream (a TCP connection, or one UDP datagram) into frames running LF … CR.
///
/// Several frames may arrive in one read and one frame may span several. Bytes outside a
/// frame are counted as garbage; a frame longer than `maxFrameBytes` is dropped whole. A CR or
/// LF right after the opening LF is taken as part of a binary CRC, not as a delimiter.
public struct DC09FrameReader: Sendable {
    /// What the reader found.
    public enum Chunk: Sendable, Hashable {
        /// A frame's bytes from LF to CR, both included.
        case frame([UInt8])
        /// Bytes that belong to no frame.
        case garbage(Int)
        /// A frame that grew past the limit; its bytes are discarded up to the next LF.
        case oversize
    }

    public let maxFrameBytes: Int
    private var frame: [UInt8] = []
    private var inFrame = false
    private var skippingOversize = false

    public init(maxFrameBytes: Int = 1024) {
        self.maxFrameBytes = maxFrameBytes
    }

    /// Bytes held for a frame not yet complete.
    public var pendingBytes: Int { frame.count }

    /// Feeds bytes in arrival order; returns what they completed.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) -> [Chunk] where Bytes.Element == UInt8 {
        var out: [Chunk] = []
        var garbage = 0
        func flushGarbage() {
            if garbage > 0 { out.append(.garbage(garbage)); garbage = 0 }
        }
        for b in bytes {
            if skippingOversize {
                if b == 0x0A {
                    skippingOversize = false
                    inFrame = true
                    frame = [b]
                }
                continue
            }
            if !inFrame {
                if b == 0x0A {
                    flushGarbage()
                    inFrame = true
                    frame = [b]
                } else {
                    garbage += 1
                }
                continue
            }
            let binaryCRCPosition = frame.count <= 2
            if b == 0x0A, !binaryCRCPosition {
                // A new frame starts before this one ended: the partial one is garbage.
                garbage += frame.count
                flushGarbage()
                frame = [b]
                continue
            }
            frame.append(b)
            if b == 0x0D, !binaryCRCPosition {
                flushGarbage()
                out.append(.frame(frame))
                frame = []
                inFrame = false
                continue
            }
            if frame.count > maxFrameBytes {
                flushGarbage()
                out.append(.oversize)
                frame = []
                inFrame = false
                skippingOversize = true
            }
        }
        flushGarbage()
        return out
    }

    /// Ends the stream (connection closed, or the end of a datagram): a partial frame is garbage.
    public mutating func finish() -> [Chunk] {
        defer {
            frame = []
            inFrame = false
            skippingOversize = false
        }
        return frame.isEmpty ? [] : [.garbage(frame.count)]
    }
}
