import PropertyWatchConfig
import PropertyWatchCore
@testable import PropertyWatchDC09

/// CRC-16/ARC bit by bit, independent of `DC09CRC`'s table.
func referenceCRC(_ bytes: [UInt8]) -> UInt16 {
    var crc: UInt16 = 0
    for b in bytes {
        crc ^= UInt16(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
    }
    return crc
}

/// A frame with ASCII CRC and length computed here: `LF crc 0LLL body CR`.
func frame(_ body: String) -> [UInt8] {
    frame(Array(body.utf8))
}

func frame(_ body: [UInt8]) -> [UInt8] {
    func hex4(_ v: Int) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [12, 8, 4, 0].map { digits[(v >> $0) & 0xF] }
    }
    return [0x0A] + hex4(Int(referenceCRC(body))) + hex4(body.count) + body + [0x0D]
}

/// A frame as published, `crc len body` without LF/CR.
func published(_ text: String) -> [UInt8] { [0x0A] + Array(text.utf8) + [0x0D] }

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// 2026-01-15 12:00:00 UTC.
let noon: Int64 = 1_768_478_400_000

let key128: [UInt8] = Array(0..<16)
let key256: [UInt8] = DC09Account.parseKeyUnchecked("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4")

extension DC09Account {
    static func parseKeyUnchecked(_ hex: String) -> [UInt8] {
        if case .success(let key) = parseKey(hex) { return key }
        return []
    }
}

/// The site and devices the tests publish for.
let testYAML = """
    sites:
      - id: skola
        name: Skolan
        kind: school
        address: Skolvägen 1
        location: {lat: 59.5, lon: 17.6}
        zones:
          - {id: korridor, name: Korridor}
          - {id: entre, name: Entré}
        devices:
          - {id: panel-1, kind: panel}
          - {id: panel-2, kind: panel}
    dc09:
      tcp_listen: 127.0.0.1:9500
      udp_listen: [127.0.0.1:9500]
      ack_timeout_seconds: 5
      accounts:
        - {account: "1234", site: skola, device: panel-1, key_file: /etc/propertywatch/dc09/1234.key,
           allow_unencrypted: true, supervision_category: DP3, zones: {"01": korridor, "015": entre}}
        - {account: "ABCD", site: skola, device: panel-2, key_file: /etc/propertywatch/dc09/abcd.key}
    """

func testConfiguration() throws -> PropertyWatchConfiguration {
    try ConfigurationLoader.parse(yaml: testYAML, file: "test.yaml")
}

func testGateway(_ adjust: (inout DC09Settings) -> Void = { _ in }) throws -> DC09Gateway {
    var settings = try #require(try testConfiguration().dc09)
    adjust(&settings)
    let accounts = settings.accounts.map { a in
        DC09Account(settings: a, cipher: DC09Cipher(key: a.account == "1234" ? key128 : key256))
    }
    return DC09Gateway(settings: settings, accounts: accounts)
}

import Testing
