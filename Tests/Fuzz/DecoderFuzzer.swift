// libFuzzer entry point for the inbound decoder (`MessageDecoder`), built by deploy/fuzz.sh
// together with the core's sources: swiftc -sanitize=fuzzer,address. Not part of the package.
//
// An input is one selector byte and a payload. The selector picks the topic (every inbound
// kind, at a known or an unknown site and device); 0xFF takes the topic from the input up to
// the first newline instead, so topic parsing is fuzzed too. Anything the decoder does must
// end in a result: a crash, a trap or an ASan report is a finding.

let receivedAt = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)

let configuration: WatchConfiguration = {
    let site = SiteConfiguration(
        id: "broskolan", name: "Broskolan", kind: .school, address: "Skolvägen 1, Bro",
        location: Coordinate(latitude: 59.512, longitude: 17.632),
        zones: [ZoneConfiguration(id: "a", name: "A-huset"), ZoneConfiguration(id: "entre", name: "Entré")],
        devices: [
            DeviceConfiguration(id: "pir-a", kind: .pir, zone: "a"),
            DeviceConfiguration(id: "smoke-a", kind: .smoke, zone: "a"),
            DeviceConfiguration(id: "panel", kind: .panel, zone: "a"),
            DeviceConfiguration(id: "cam-1", kind: .camera, zone: "entre", cameraZones: ["entre"]),
        ])
    let always = ShiftConfiguration(id: "always", units: ["P1"], weekdays: Set(1...7), start: LocalTime(hour: 12), end: LocalTime(hour: 12))
    return WatchConfiguration(
        sites: [site],
        patrol: PatrolConfiguration(units: [UnitConfiguration(id: "P1", callSign: "Väktare 31")], shifts: [always]),
        frigate: FrigateMapping(cameras: ["brohuset_entre": .init(site: "broskolan", device: "cam-1", zones: ["entrance": "entre"])]))
}()

let decoder = MessageDecoder(directory: SiteDirectory(configuration), limits: configuration.decoding)

let topics = [
    "propertywatch/v1/sites/broskolan/alarms/pir-a",
    "propertywatch/v1/sites/broskolan/alarms/smoke-a",
    "propertywatch/v1/sites/broskolan/alarms/panel",
    "propertywatch/v1/sites/broskolan/cameras/cam-1",
    "propertywatch/v1/sites/broskolan/heartbeats/pir-a",
    "propertywatch/v1/units/P1/position",
    "propertywatch/v1/units/P1/checkin",
    "propertywatch/v1/units/P1/status",
    "propertywatch/v1/units/P1/replies",
    "frigate/events",
    "frigate/reviews",
    "frigate/available",
    "frigate/stats",
    "frigate/backfill",
    "propertywatch/v1/sites/nowhere/alarms/pir-a",
    "propertywatch/v1/units/P9/replies",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let selector = Int(input[0])
    var rest = UnsafeBufferPointer(rebasing: input[1...])
    let topic: String
    if selector == 0xFF {
        let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
        topic = String(decoding: UnsafeBufferPointer(rebasing: rest[rest.startIndex..<end]), as: UTF8.self)
        rest = UnsafeBufferPointer(rebasing: rest[min(end + 1, rest.endIndex)...])
    } else {
        topic = topics[selector % topics.count]
    }
    let result = decoder.decode(topic: topic, payload: UnsafeRawBufferPointer(rest), receivedAt: receivedAt)
    // Whatever was accepted must encode again without trapping.
    if case .message(let message) = result { _ = MessageEncoder.encode(message) }
    return 0
}
