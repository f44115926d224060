import PropertyWatchCore
import Testing
@testable import PropertyWatchDC09

@Suite struct DC09ContentTests {
    /// Ciphertexts made with PyCryptodome's AES-CBC (zero IV), padding bytes binary.
    @Test func decryptsIndependentlyEncryptedBodiesWithBinaryPadding() throws {
        let aes128 = try #require(DC09Cipher(key: key128))
        let body = Array("64E72F9B7E6488A4174F96C044FDC9661089D5D53780B832C557184592A4E322587FC73711C3333571C668FFF93EB2D4".utf8)
        let plain = try aes128.decrypt(hexBody: body).get()
        #expect(plain.prefix(11) == [0x00, 0x01, 0x1F, 0x7F, 0x80, 0xFF, 0x02, 0x03, 0x04, 0x05, 0x06])
        #expect(text(try DC09Cipher.content(ofPlaintext: plain).get()) == "#1234|Nri1/BA01]_12:00:00,01-15-2026")

        let aes256 = try #require(DC09Cipher(key: key256))
        let body256 = Array("467BC92C5F4EABC1FD969C51F5562C0FB6DD8026B712AC27CA3E9EC437A94FCB4492BB67F49623DBBA943E1A142AAEFC".utf8)
        let content = try DC09Cipher.content(ofPlaintext: aes256.decrypt(hexBody: body256).get()).get()
        #expect(text(content) == "#ABCD|1130 01 015]_12:00:05,01-15-2026")
    }

    @Test(arguments: [16, 24, 32])
    func encryptThenDecryptRoundTripsForEveryKeySize(_ size: Int) throws {
        let cipher = try #require(DC09Cipher(key: (0..<size).map { UInt8($0 * 7 & 0xFF) }))
        for length in [1, 14, 15, 16, 31, 47] {
            let content = Array(String(repeating: "x", count: length - 1).utf8) + [UInt8(ascii: "]")]
            let hex = cipher.encrypt(content: content, padding: [UInt8](repeating: 0x7C, count: 16))
            #expect(hex.count % 32 == 0)
            let plain = try cipher.decrypt(hexBody: hex).get()
            #expect(try DC09Cipher.content(ofPlaintext: plain).get() == content)
        }
        #expect(DC09Cipher(key: [UInt8](repeating: 0, count: 20)) == nil)
    }

    @Test func aWrongKeyIsNotReadAsContent() throws {
        let right = try #require(DC09Cipher(key: key128)), wrong = try #require(DC09Cipher(key: key256))
        let hex = right.encrypt(content: Array("#1234|Nri1/BA01]_12:00:00,01-15-2026".utf8), padding: Array(repeating: 0x41, count: 16))
        let result = wrong.decrypt(hexBody: hex).flatMap(DC09Cipher.content(ofPlaintext:)).flatMap(DC09Content.parse)
        guard case .failure = result else {
            Issue.record("wrong key read as content")
            return
        }
        #expect(wrong.decrypt(hexBody: Array("ABC".utf8)).isFailure)
        #expect(wrong.decrypt(hexBody: Array(String(repeating: "G", count: 32).utf8)).isFailure)
    }

    @Test func contentWithExtendedDataAndTimestamp() throws {
        let c = try DC09Content.parse(Array("1234|Nri1/PA001][X010E57.5698080][Y59N12.8358840]_12:00:00,01-15-2026".utf8)).get()
        #expect(text(c.data) == "1234|Nri1/PA001")
        #expect(c.extended.map(text) == ["X010E57.5698080", "Y59N12.8358840"])
        #expect(c.timestamp == noon)
        #expect(DC09Content.parse(Array("#1234|NBA1".utf8)).isFailure)
        #expect(DC09Content.parse(Array("#1234|NBA1]junk".utf8)).isFailure)
        #expect(DC09Content.parse([0x23, 0x01, 0x5D]).isFailure)
    }

    static let siaCases: [(String, [DC09Event])] = [
        ("#1234|Nri1/BA01", [DC09Event(protocolKind: .sia, code: "BA", zone: "01", partition: "1")]),
        ("#1234|Nri1/BA01/BA02", [
            DC09Event(protocolKind: .sia, code: "BA", zone: "01", partition: "1"),
            DC09Event(protocolKind: .sia, code: "BA", zone: "02", partition: "1"),
        ]),
        ("36214|NRP", [DC09Event(protocolKind: .sia, code: "RP")]),
        ("#51449|Nri0000/LR", [DC09Event(protocolKind: .sia, code: "LR", partition: "0000")]),
        ("3044|NOP1", [DC09Event(protocolKind: .sia, code: "OP", user: "1")]),
        ("#1234|Nid3^Anna^CL3", [DC09Event(protocolKind: .sia, code: "CL", user: "3")]),
        ("#1234|Nri2CG2", [DC09Event(protocolKind: .sia, code: "CG", partition: "2")]),
        ("#1234|Nri1/BA01^Dette er sone 1^", [DC09Event(protocolKind: .sia, code: "BA", zone: "01", partition: "1")]),
        ("|NBA1^Simulazione allarme^", [DC09Event(protocolKind: .sia, code: "BA", zone: "1")]),
        ("#1234|Nti12:30/FA5", [DC09Event(protocolKind: .sia, code: "FA", zone: "5")]),
        ("#1234|NFA129|Atext", [DC09Event(protocolKind: .sia, code: "FA", zone: "129")]),
    ]

    @Test(arguments: siaCases)
    func siaDCSData(_ data: String, _ events: [DC09Event]) throws {
        #expect(try SIADCSParser.parse(Array(data.utf8)).get() == events)
    }

    @Test(arguments: ["#1234|Atext only", "#1234|N", "#1234|Nri1/B", "#1234|Nri1/1A01"])
    func unreadableSIAData(_ data: String) {
        #expect(SIADCSParser.parse(Array(data.utf8)).isFailure)
    }

    static let cidCases: [(String, DC09Event?)] = [
        ("#1234|1130 01 015", DC09Event(protocolKind: .contactID, code: "E130", zone: "015", partition: "01")),
        ("10064|1602 00 000", DC09Event(protocolKind: .contactID, code: "E602")),
        ("#1234|3401 02 007", DC09Event(protocolKind: .contactID, code: "R401", partition: "02", user: "007")),
        ("#3456|1407 00 001", DC09Event(protocolKind: .contactID, code: "E407", user: "001")),
        ("#1234|113001015", DC09Event(protocolKind: .contactID, code: "E130", zone: "015", partition: "01")),
        ("#1234|6602 00 000", DC09Event(protocolKind: .contactID, code: "P602")),
        ("#1234|2130 01 015", nil),
        ("#1234|1130 01 01", nil),
        ("#1234|1A30 01 015", nil),
    ]

    @Test(arguments: cidCases)
    func contactIDData(_ data: String, _ event: DC09Event?) {
        switch ContactIDParser.parse(Array(data.utf8)) {
        case .success(let e): #expect(e == event)
        case .failure: #expect(event == nil)
        }
    }

    @Test func codeTablesCoverTheStandardsAndAgreeWithTheDaemon() {
        #expect(SIACodeTable.table.count == 295)
        #expect(ContactIDCodeTable.eventCount >= 120)
        for (code, _) in AlarmCodes.siaTable {
            let ours = SIACodeTable.meaning(code), daemons = AlarmCodes.sia(code)
            #expect(ours?.eventClass == daemons?.eventClass && ours?.isRestore == daemons?.isRestore, "SIA \(code)")
        }
        for event in 100...999 {
            for q in ["E", "R"] {
                let code = q + String(event)
                guard let daemons = AlarmCodes.contactID(code) else { continue }
                let ours = ContactIDCodeTable.meaning(code)
                #expect(ours?.eventClass == daemons.eventClass && ours?.isRestore == daemons.isRestore, "CID \(code)")
            }
        }
        #expect(SIACodeTable.meaning("ZX") == nil)
        #expect(ContactIDCodeTable.meaning("E999") == nil)
        #expect(ContactIDCodeTable.meaning("E162")?.eventClass == .fire)
        #expect(SIACodeTable.meaning("XT")?.trouble == .lowBattery)
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
