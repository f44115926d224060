import Testing
@testable import PropertyWatchCore

@Suite struct MessageDecodingTests {
    typealias F = ContractFixtures
    static let t = F.now.millisecondsSinceEpoch

    @Test func camera() throws {
        let payload = #"{"v":1,"site":"brohuset","camera":"cam-2","zones":["entre","yard"],"label":"person","score":0.87,"phase":"new","id":"cam-evt-1","start":\#(Self.t - 2000),"snapshot":"http://nvr/snap/1.jpg"}"#
        let trigger = try #require(F.decode("propertywatch/v1/sites/brohuset/cameras/cam-2", payload).camera)
        #expect(trigger == CameraTrigger(
            site: "brohuset", camera: "cam-2", zones: ["entre", "yard"], label: .person, score: 0.87, phase: .new,
            eventID: "cam-evt-1", start: F.now - Milliseconds(2000), snapshot: "http://nvr/snap/1.jpg"))
    }

    @Test func longCameraEventsMayHaveStartedLongAgo() throws {
        let start = Self.t - 3_600_000
        let update = #"{"v":1,"camera":"cam-2","label":"vehicle","score":0.7,"phase":"update","id":"c","start":\#(start)}"#
        #expect(F.decode("propertywatch/v1/sites/brohuset/cameras/cam-2", update).camera != nil)
        let new = update.replacingOccurrences("\"update\"", "\"new\"")
        #expect(F.decode("propertywatch/v1/sites/brohuset/cameras/cam-2", new).rejection?.reason == .clockSkew)
        let badEnd = #"{"v":1,"label":"vehicle","score":0.7,"phase":"end","id":"c","start":\#(Self.t),"end":\#(Self.t - 1)}"#
        #expect(F.decode("propertywatch/v1/sites/brohuset/cameras/cam-2", badEnd).rejection?.detail.contains("before start") == true)
    }

    @Test(arguments: ["-0.01", "1.01", "1e400", "\"0.5\""])
    func cameraScoreRange(score: String) throws {
        let payload = #"{"v":1,"label":"person","score":\#(score),"id":"c","start":\#(Self.t)}"#
        let rejection = try #require(F.decode("propertywatch/v1/sites/brohuset/cameras/cam-2", payload).rejection)
        #expect(rejection.reason == .invalidField)
        #expect(rejection.detail.hasPrefix("score"))
    }

    @Test func heartbeat() throws {
        let result = F.decode("propertywatch/v1/sites/brohuset/heartbeats/pir-12", #"{"v":1,"site":"brohuset","device":"pir-12","time":\#(Self.t)}"#)
        #expect(result.message == .heartbeat(Heartbeat(site: "brohuset", device: "pir-12", deviceTime: F.now)))
    }

    @Test func position() throws {
        let result = F.decode("propertywatch/v1/units/P1/position", #"{"v":1,"unit":"P1","lat":59.478,"lon":17.75,"speed":12.5,"time":\#(Self.t)}"#)
        #expect(result.message == .position(UnitPosition(
            unit: "P1", position: Coordinate(latitude: 59.478, longitude: 17.75), speed: 12.5, time: F.now)))
    }

    @Test(arguments: [("lat", "90.5"), ("lat", "-91"), ("lon", "180.1"), ("speed", "-1"), ("speed", "151"), ("lat", "\"59\"")])
    func positionRanges(field: String, value: String) throws {
        var fields = ["lat": "59.4", "lon": "17.7", "speed": "3"]
        fields[field] = value
        let payload = #"{"v":1,"lat":\#(fields["lat"]!),"lon":\#(fields["lon"]!),"speed":\#(fields["speed"]!),"time":\#(Self.t)}"#
        let rejection = try #require(F.decode("propertywatch/v1/units/P1/position", payload).rejection)
        #expect(rejection.reason == .invalidField)
        #expect(rejection.detail.hasPrefix(field))
    }

    @Test func checkIn() throws {
        let result = F.decode("propertywatch/v1/units/P2/checkin", #"{"v":1,"unit":"P2","site":"tibble-skola","method":"geofence","present":false,"time":\#(Self.t)}"#)
        #expect(result.message == .checkIn(CheckIn(unit: "P2", site: "tibble-skola", method: .geofence, present: false, time: F.now)))
        let defaulted = F.decode("propertywatch/v1/units/P2/checkin", #"{"v":1,"site":"brohuset","method":"tag","time":\#(Self.t)}"#)
        #expect(defaulted.message == .checkIn(CheckIn(unit: "P2", site: "brohuset", method: .tag, present: true, time: F.now)))
    }

    @Test(arguments: UnitState.allCases)
    func status(state: UnitState) throws {
        let result = F.decode("propertywatch/v1/units/P1/status", #"{"v":1,"unit":"P1","state":"\#(state.rawValue)","time":\#(Self.t)}"#)
        #expect(result.message == .unitStatus(UnitStatusReport(unit: "P1", state: state, time: F.now)))
    }

    @Test func unknownStateListsTheChoices() throws {
        let rejection = try #require(F.decode("propertywatch/v1/units/P1/status", #"{"v":1,"state":"asleep","time":\#(Self.t)}"#).rejection)
        #expect(rejection.detail == "state: expected one of available, en-route, on-site, off-duty, found \"asleep\"")
    }

    @Test func reply() throws {
        let payload = #"{"v":1,"unit":"P1","incident":"I12","request":"I12-1","kind":"cleared","outcome":"false-alarm","note":"Dörren stängd, inget inbrott.\nKontrollerat.","time":\#(Self.t)}"#
        let result = F.decode("propertywatch/v1/units/P1/replies", payload)
        #expect(result.message == .reply(GuardReply(
            unit: "P1", incident: "I12", request: "I12-1", kind: .cleared, outcome: .falseAlarm,
            note: "Dörren stängd, inget inbrott.\nKontrollerat.", time: F.now)))
    }

    @Test func replyNoteIsCapped() throws {
        let note = String(repeating: "x", count: 600)
        let rejection = try #require(F.decode("propertywatch/v1/units/P1/replies", #"{"v":1,"incident":"I1","kind":"accepted","note":"\#(note)","time":\#(Self.t)}"#).rejection)
        #expect(rejection.reason == .invalidField)
        #expect(rejection.detail.hasPrefix("note: expected at most 512 bytes"))
    }

    @Test func unknownFieldsAreIgnored() throws {
        #expect(F.decode(F.alarmTopic, F.alarm(["firmware": #"{"version":"2.1","build":[1,2]}"#])).alarm != nil)
    }

    @Test func payloadJustAtTheLimitIsAccepted() throws {
        let base = F.alarm(["pad": "\"\""])
        let padded = F.alarm(["pad": "\"" + String(repeating: " ", count: 4096 - base.utf8.count) + "\""])
        #expect(padded.utf8.count == 4096)
        #expect(F.decode(F.alarmTopic, padded).alarm != nil)
    }
}

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-25T21:03:00.250Z", Int64(1_795_640_580_250)),
        ("2024-02-29T12:00:00.1234567z", Int64(1_709_208_000_123)),
        ("2026-03-29T03:00:00+02:00", Int64(1_774_746_000_000)),
        ("2000-01-01t00:00:00-00:30", Int64(946_686_600_000)),
    ])
    func parses(text: String, ms: Int64) {
        let parsed = Array(text.utf8).withUnsafeBytes { RFC3339.parse($0) }
        #expect(parsed == Timestamp(millisecondsSinceEpoch: ms))
    }

    @Test(arguments: ["2026-11-25 21:03:00Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-25T24:00:00Z",
                      "2026-11-25T21:03:60Z", "2026-11-25T21:03:00", "2026-11-25T21:03:00.Z", "2026-11-25T21:03:00+0100", "x"])
    func refuses(text: String) {
        #expect(Array(text.utf8).withUnsafeBytes { RFC3339.parse($0) } == nil)
    }

    @Test func formatsBack() {
        #expect(RFC3339.format(Timestamp(millisecondsSinceEpoch: 1_795_640_580_250)) == "2026-11-25T21:03:00.250Z")
        #expect(RFC3339.format(Timestamp(millisecondsSinceEpoch: -1)) == "1969-12-31T23:59:59.999Z")
    }
}
