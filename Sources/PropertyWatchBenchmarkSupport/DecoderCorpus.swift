import PropertyWatchCore

/// The decoding benchmarks' corpus: realistic alarm payloads (our class names, SIA and Contact
/// ID codes) for 100 sites of 20 detectors, and the Foundation reference type.
public enum DecoderCorpus {
    public static let sites = 100
    public static let devicesPerSite = 20
    public static let corpusSize = 10_000

    /// The Foundation reference: the same fields, all checks left out.
    public struct AlarmPayload: Decodable {
        public var v: Int
        public var site: String?
        public var device: String?
        public var zone: String?
        public var `class`: String?
        public var sia: String?
        public var cid: String?
        public var restore: Bool?
        public var seq: UInt64
        public var id: String
        public var time: Int64
    }

    /// 100 sites of 20 detectors; realistic alarm payloads (our class names, SIA and Contact ID).
    public static func make(now: Timestamp) -> (MessageDecoder, [String], [[UInt8]]) {
        let zones = ["entre-norr", "korridor-plan-2", "gymnastiksal", "matsal", "kontor-rektor", "lastkaj"]
        var siteConfigurations: [SiteConfiguration] = []
        for s in 0..<sites {
            var devices: [DeviceConfiguration] = []
            for d in 0..<devicesPerSite {
                devices.append(DeviceConfiguration(id: DeviceID("pir-\(1000 + d)"), kind: .pir, zone: ZoneID(zones[d % zones.count])))
            }
            siteConfigurations.append(SiteConfiguration(
                id: SiteID("ub-skola-\(100 + s)"), name: "Skola \(s)", kind: .school, address: "Skolvägen \(s)",
                location: Coordinate(latitude: 59.5, longitude: 17.7),
                zones: zones.map { ZoneConfiguration(id: ZoneID($0), name: $0) }, devices: devices))
        }
        let decoder = MessageDecoder(directory: SiteDirectory(WatchConfiguration(sites: siteConfigurations)), limits: DecodingLimits())
        var topics: [String] = []
        var payloads: [[UInt8]] = []
        let classes = ["intrusion", "tamper", "fire", "open", "close", "trouble"]
        for i in 0..<corpusSize {
            let site = SiteID("ub-skola-\(100 + i % sites)")
            let device = DeviceID("pir-\(1000 + (i / sites) % devicesPerSite)")
            let time = now.millisecondsSinceEpoch - Int64(i % 5000)
            let code: String
            switch i % 10 {
            case 0, 1: code = #""sia":"\#(["BA", "BR", "TA", "OP", "CL"][i % 5])""#
            case 2: code = #""cid":"\#(["E130", "R130", "1401", "3401"][i % 4])""#
            default: code = #""class":"\#(classes[i % classes.count])","restore":\#(i % 7 == 0)"#
            }
            let payload = #"{"v":1,"site":"\#(site)","device":"\#(device)","zone":"\#(zones[i % zones.count])",\#(code),"seq":\#(100_000 + i),"id":"evt-\#(device)-\#(String(100_000_000 + i))","time":\#(time),"panel":"galaxy-flex-3-20","fw":"panel-os 4.2.17"}"#
            topics.append(Topic.alarm(site: site, device: device))
            payloads.append(Array(payload.utf8))
        }
        return (decoder, topics, payloads)
    }
}
