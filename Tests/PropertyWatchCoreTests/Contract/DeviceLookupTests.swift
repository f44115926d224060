import Testing
@testable import PropertyWatchCore

/// The directory's byte-keyed device table agrees with its dictionary look-ups.
@Suite struct DeviceLookupTests {
    static let directory = SiteDirectory(WatchConfiguration(sites: (0..<300).map { s in
        SiteConfiguration(
            id: SiteID("site-\(s)"), name: "S", kind: .school, address: "", location: Coordinate(latitude: 59, longitude: 17),
            devices: (0..<7).map { DeviceConfiguration(id: DeviceID(String(repeating: "d", count: $0 * 3) + "\(s)"), kind: .pir) })
    }))

    @Test func everyConfiguredDeviceHasADenseIndex() {
        var seen = Set<Int>()
        for site in Self.directory.configuration.sites {
            for device in site.devices {
                let index = Self.directory.deviceIndex(device.id, at: site.id)
                #expect(index != nil)
                if let index { seen.insert(index) }
            }
        }
        #expect(seen == Set(0..<Self.directory.deviceCount))
        #expect(Self.directory.deviceCount == 300 * 7)
    }

    @Test(arguments: [("site-1", "x1"), ("site-1", "d2"), ("site-10", "1"), ("", ""), ("site-1/", "1"), ("site-", "11")])
    func unknownPairsAreNotFound(site: String, device: String) {
        #expect(Self.directory.deviceIndex(DeviceID(device), at: SiteID(site)) == nil)
        #expect(Self.directory.device(DeviceID(device), at: SiteID(site)) == nil)
    }

    @Test func decodedIdentifiersEqualTheTopic() throws {
        let decoder = MessageDecoder(directory: Self.directory, limits: DecodingLimits())
        let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)
        let payload = Array(#"{"v":1,"class":"intrusion","seq":1,"id":"e1","time":1764100000000}"#.utf8)
        let result = payload.withUnsafeBytes {
            decoder.decode(topic: Topic.alarm(site: "site-12", device: "dddddd12"), payload: $0, receivedAt: now)
        }
        guard case .message(.alarm(let event)) = result else {
            Issue.record("unexpected \(result)")
            return
        }
        #expect(event.site == "site-12")
        #expect(event.device == "dddddd12")
    }
}
