import Testing
@testable import PropertyWatchDC09

@Suite struct DC09FramingTests {
    @Test func crcMatchesTheCatalogueCheckValueAndTheBitwiseReference() {
        #expect(DC09CRC.checksum(Array("123456789".utf8)) == 0xBB3D)
        #expect(DC09CRC.checksum([]) == 0)
        for sample in ["\"NULL\"0000R0L0#1234[]", "\"SIA-DCS\"0001L0#1234[1234|Nri1/BA01]", "\u{7F}\u{0}"] {
            #expect(DC09CRC.checksum(Array(sample.utf8)) == referenceCRC(Array(sample.utf8)))
        }
    }

    /// Frames from real transmitters (PROSEC, Hikvision) as published, CRC and length included,
    /// in the test data of a public receiver project.
    static let publishedFrames: [(String, String, String, String?, String?, String)] = [
        ("B0970029\"NULL\"0000L000#0809[]_21:00:01,02-20-2024", "NULL", "0000", nil, "L000", "0809"),
        ("F68B003B\"ADM-CID\"0028L0#9757[#9757|1602 00 000]_20:59:45,02-20-2024", "ADM-CID", "0028", nil, "L0", "9757"),
        ("B4330036\"SIA-DCS\"0442L000#36214[36214|NRP]_00:00:00,02-21-2024", "SIA-DCS", "0442", nil, "L000", "36214"),
        ("3F60003C\"SIA-DCS\"0001L0#51449[#51449|Nri0000/LR]_21:26:19,12-20-2023", "SIA-DCS", "0001", nil, "L0", "51449"),
        ("7B620035\"SIA-DCS\"0005L000#3044[3044|NOP1]_00:03:31,12-21-2023", "SIA-DCS", "0005", nil, "L000", "3044"),
        ("85340035\"SIA-DCS\"0004L000#3044[3044|NBC1]_00:03:31,12-21-2023", "SIA-DCS", "0004", nil, "L000", "3044"),
        ("99820040\"ADM-CID\"1937R15L1#21401[#21401|1602 00 000]_20:59:59,02-20-2024", "ADM-CID", "1937", "R15", "L1", "21401"),
    ]

    @Test(arguments: publishedFrames)
    func publishedFramesParseWithTheirOwnCRCAndLength(
        _ wire: String, _ token: String, _ seq: String, _ receiver: String?, _ line: String?, _ account: String
    ) throws {
        let f = try DC09FrameParser.parse(published(wire)).get()
        #expect(f.token == token && f.sequenceText == seq && f.receiver == receiver && f.line == line && f.account == account)
        #expect(!f.encrypted && f.crcFormat == .ascii)
        let content = try DC09Content.parse(f.body).get()
        #expect(content.timestamp != nil)
    }

    /// OPAX transmitters send the CRC as two binary bytes (0xC55B, 0xC17E here), as published.
    @Test func binaryCRCFramesFromOPAX() throws {
        let null: [UInt8] = [0x0A, 0xC5, 0x5B] + Array("002A\"NULL\"0000R8L0#41213[]_21:00:10,02-20-2024\r".utf8)
        let f = try DC09FrameParser.parse(null).get()
        #expect(f.crcFormat == .binary && f.token == "NULL" && f.receiver == "R8" && f.account == "41213")
        #expect(try DC09Content.parse(f.body).get().timestamp == 1_708_462_810_000)
        let cid: [UInt8] = [0x0A, 0xC1, 0x7E] + Array("003E\"ADM-CID\"0379R0L0#10064[10064|1602 00 000]_00:00:43,02-21-2024\r".utf8)
        #expect(try DC09FrameParser.parse(cid).get().sequence == 379)
    }

    @Test func aPublishedExampleWithAWrongCRCIsRefused() {
        // A receiver's README shows this frame with CRC 4E67; CRC-16/ARC of it is 405C.
        guard case .failure(.badCRC(let expected, let found)) = DC09FrameParser.parse(published("4E670024\"SIA-DCS\"0001L0#1234[1234|Nri1/BA01]")) else {
            Issue.record("expected bad CRC")
            return
        }
        #expect(expected == 0x405C && found == 0x4E67)
    }

    static let hostile: [(String, [UInt8], String)] = [
        ("bad CRC", published("0000002A\"NULL\"0000R8L0#41213[]_21:00:10,02-20-2024"), "bad-crc"),
        ("length too short", published("5B0F0029\"NULL\"0000R8L0#41213[]_21:00:10,02-20-2024"), "bad-length"),
        ("length not hex", published("5B0FZZZZ\"NULL\"0000R8L0#41213[]_21:00:10,02-20-2024"), "malformed"),
        ("too short", [0x0A, 0x41, 0x0D], "malformed"),
        ("no quote", frame("NULL0000R0L0#1234[]"), "malformed"),
        ("sequence with letters past F", frame("\"NULL\"00G0R0L0#1234[]"), "malformed"),
        ("no account", frame("\"NULL\"0000R0L0[]"), "malformed"),
        ("account too long", frame("\"NULL\"0000R0L0#12345678901234567[]"), "malformed"),
        ("account with lower case", frame("\"NULL\"0000R0L0#abcd[]"), "malformed"),
        ("no bracket", frame("\"NULL\"0000R0L0#1234"), "malformed"),
        ("token with quote missing", frame("\"SIA-DCS0001R0L0#1234[]"), "malformed"),
    ]

    @Test(arguments: hostile)
    func malformedFramesAreRefusedWithAReason(_ name: String, _ bytes: [UInt8], _ reason: String) {
        switch DC09FrameParser.parse(bytes) {
        case .success: Issue.record("\(name) parsed")
        case .failure(let e): #expect(e.reason == reason, "\(name): \(e.detail)")
        }
    }

    @Test func manyFramesInOneSegmentAndGarbageBetween() {
        let a = frame("\"NULL\"0001R0L0#1234[]"), b = frame("\"NULL\"0002R0L0#1234[]"), c = frame("\"NULL\"0003R0L0#1234[]")
        var reader = DC09FrameReader()
        let chunks = reader.append(a + Array("junk".utf8) + b + c)
        #expect(chunks == [.frame(a), .garbage(4), .frame(b), .frame(c)])
        #expect(reader.pendingBytes == 0)
    }

    @Test func oneFrameAcrossManySegments() {
        let a = frame("\"SIA-DCS\"0007R1L0#1234[#1234|Nri1/BA01]")
        var reader = DC09FrameReader()
        var chunks: [DC09FrameReader.Chunk] = []
        for b in a { chunks += reader.append([b]) }
        #expect(chunks == [.frame(a)])
    }

    @Test func aBinaryCRCContainingCRAndLFIsNotADelimiter() {
        let f: [UInt8] = [0x0A, 0x0D, 0x0A] + Array("0014\"NULL\"0000L0#1234[]\r".utf8)
        var reader = DC09FrameReader()
        #expect(reader.append(f) == [.frame(f)])
    }

    @Test func anOversizeFrameIsDroppedAndTheNextOneRead() {
        var reader = DC09FrameReader(maxFrameBytes: 64)
        let good = frame("\"NULL\"0001R0L0#1234[]")
        let chunks = reader.append([0x0A] + [UInt8](repeating: 0x41, count: 500) + [0x0D] + good)
        #expect(chunks == [.oversize, .frame(good)])
    }

    @Test func aFrameCutShortByANewLFIsGarbage() {
        var reader = DC09FrameReader()
        let good = frame("\"NULL\"0001R0L0#1234[]")
        #expect(reader.append(Array("\n1234\"NU".utf8) + good) == [.garbage(8), .frame(good)])
        #expect(reader.append(Array("\nABC".utf8)) == [])
        #expect(reader.finish() == [.garbage(4)])
    }

    @Test func timestampsRoundTrip() {
        #expect(DC09Timestamp.parse(Array("12:00:00,01-15-2026".utf8)) == noon)
        #expect(DC09Timestamp.format(noon) == "12:00:00,01-15-2026")
        #expect(DC09Timestamp.format(1_708_462_810_000) == "21:00:10,02-20-2024")
        #expect(DC09Timestamp.parse(Array("12:00:00,02-30-2026".utf8)) == nil)
        #expect(DC09Timestamp.parse(Array("24:00:00,01-15-2026".utf8)) == nil)
    }
}
