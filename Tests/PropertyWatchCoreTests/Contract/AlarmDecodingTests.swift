import Testing
@testable import PropertyWatchCore

@Suite struct AlarmDecodingTests {
    typealias F = ContractFixtures

    @Test func decodesTheStandardAlarm() throws {
        let event = try #require(F.decode(F.alarmTopic, F.alarm()).alarm)
        #expect(event == AlarmEvent(
            site: "brohuset", device: "pir-12", zone: "korridor", eventClass: .intrusion, isRestore: false,
            sequence: 42, eventID: "evt-1", deviceTime: F.now))
    }

    /// `part`: an event's place in a multi-event frame; 1 when absent, 1…255 when given.
    @Test(arguments: [
        (value: nil as String?, part: 1 as UInt8?), ("1", 1), ("2", 2), ("255", 255),
        ("0", nil), ("256", nil), ("-1", nil), ("1.5", nil), ("\"2\"", nil),
    ])
    func frameParts(value: String?, part: UInt8?) throws {
        let result = F.decode(F.alarmTopic, F.alarm(value.map { ["part": $0] } ?? [:]))
        if let part {
            #expect(result.alarm?.part == part, "\(String(describing: value))")
        } else {
            guard case .rejected(let rejection) = result else {
                Issue.record("part \(String(describing: value)) accepted: \(result)")
                return
            }
            #expect(rejection.reason == .invalidField)
        }
    }

    @Test func siteDeviceAndZoneAreOptional() throws {
        let event = try #require(F.decode(F.alarmTopic, F.alarm(["site": nil, "device": nil, "zone": nil])).alarm)
        #expect(event.site == "brohuset")
        #expect(event.device == "pir-12")
        #expect(event.zone == "korridor", "the device's configured zone fills in")
    }

    @Test func acceptsRFC3339Time() throws {
        let event = try #require(F.decode(F.alarmTopic, F.alarm(["time": "\"2025-11-25T19:46:40.250Z\""])).alarm)
        #expect(event.deviceTime == F.now + Milliseconds(250))
        let offset = try #require(F.decode(F.alarmTopic, F.alarm(["time": "\"2025-11-25T20:46:40+01:00\""])).alarm)
        #expect(offset.deviceTime == F.now)
    }

    @Test(arguments: EventClass.allCases)
    func everyClassName(eventClass: EventClass) throws {
        let event = try #require(F.decode(F.alarmTopic, F.alarm(["class": "\"\(eventClass.rawValue)\""])).alarm)
        #expect(event.eventClass == eventClass)
        #expect(event.trouble == (eventClass == .trouble ? .general : nil))
        #expect(event.code == nil)
    }

    @Test func restoreAndTroubleKind() throws {
        let restore = try #require(F.decode(F.alarmTopic, F.alarm(["restore": "true"])).alarm)
        #expect(restore.isRestore)
        let trouble = try #require(F.decode(F.alarmTopic, F.alarm(["class": "\"trouble\"", "trouble": "\"low-battery\""])).alarm)
        #expect(trouble.trouble == .lowBattery)
    }

    static let siaCases: [(String, EventClass, Bool, TroubleKind?)] = [
        ("BA", .intrusion, false, nil), ("BR", .intrusion, true, nil),
        ("FA", .fire, false, nil), ("FR", .fire, true, nil),
        ("HA", .holdUp, false, nil), ("HR", .holdUp, true, nil),
        ("TA", .tamper, false, nil), ("TR", .tamper, true, nil),
        ("OP", .open, false, nil), ("CL", .close, false, nil),
        ("RP", .test, false, nil),
        ("YT", .trouble, false, .lowBattery), ("YR", .trouble, true, .lowBattery),
        ("AT", .trouble, false, .mainsFailure), ("AR", .trouble, true, .mainsFailure),
        ("BB", .bypass, false, nil), ("BU", .bypass, true, nil),
    ]

    @Test(arguments: siaCases)
    func siaCodes(code: String, eventClass: EventClass, restore: Bool, trouble: TroubleKind?) throws {
        let payload = F.alarm(["class": nil, "restore": nil, "sia": "\"\(code)\""])
        let event = try #require(F.decode(F.alarmTopic, payload).alarm)
        #expect(event.eventClass == eventClass)
        #expect(event.isRestore == restore)
        #expect(event.trouble == trouble)
        #expect(event.code == "SIA:\(code)")
    }

    @Test func everySIATableEntryDecodes() {
        for (code, (eventClass, restore, trouble)) in AlarmCodes.siaTable {
            let event = F.decode(F.alarmTopic, F.alarm(["class": nil, "restore": nil, "sia": "\"\(code)\""])).alarm
            #expect(event?.eventClass == eventClass && event?.isRestore == restore && event?.trouble == trouble, "\(code)")
        }
    }

    static let contactIDCases: [(String, EventClass, Bool, TroubleKind?, String)] = [
        ("E130", .intrusion, false, nil, "CID:E130"), ("R130", .intrusion, true, nil, "CID:R130"),
        ("1130", .intrusion, false, nil, "CID:E130"), ("3130", .intrusion, true, nil, "CID:R130"),
        ("E131", .intrusion, false, nil, "CID:E131"), ("E132", .intrusion, false, nil, "CID:E132"),
        ("E133", .intrusion, false, nil, "CID:E133"), ("E134", .intrusion, false, nil, "CID:E134"),
        ("E135", .intrusion, false, nil, "CID:E135"), ("E136", .intrusion, false, nil, "CID:E136"),
        ("E138", .intrusion, false, nil, "CID:E138"), ("E139", .intrusion, false, nil, "CID:E139"),
        ("E137", .tamper, false, nil, "CID:E137"), ("3137", .tamper, true, nil, "CID:R137"),
        ("E144", .tamper, false, nil, "CID:E144"), ("E145", .tamper, false, nil, "CID:E145"),
        ("E140", .trouble, false, .general, "CID:E140"), ("E141", .trouble, false, .general, "CID:E141"),
        ("E142", .trouble, false, .general, "CID:E142"), ("E143", .trouble, false, .general, "CID:E143"),
        ("E110", .fire, false, nil, "CID:E110"), ("E111", .fire, false, nil, "CID:E111"),
        ("E114", .fire, false, nil, "CID:E114"), ("E118", .fire, false, nil, "CID:E118"),
        ("R110", .fire, true, nil, "CID:R110"),
        ("E121", .holdUp, false, nil, "CID:E121"), ("E122", .holdUp, false, nil, "CID:E122"),
        ("3122", .holdUp, true, nil, "CID:R122"),
        ("1401", .open, false, nil, "CID:E401"), ("3401", .close, false, nil, "CID:R401"),
        ("E402", .open, false, nil, "CID:E402"), ("R409", .close, false, nil, "CID:R409"),
        ("E602", .test, false, nil, "CID:E602"),
        ("E302", .trouble, false, .lowBattery, "CID:E302"), ("R302", .trouble, true, .lowBattery, "CID:R302"),
        ("E301", .trouble, false, .mainsFailure, "CID:E301"), ("3301", .trouble, true, .mainsFailure, "CID:R301"),
        ("E570", .bypass, false, nil, "CID:E570"), ("R570", .bypass, true, nil, "CID:R570"),
        ("E354", .trouble, false, .communication, "CID:E354"),
    ]

    @Test(arguments: contactIDCases)
    func contactIDCodes(code: String, eventClass: EventClass, restore: Bool, trouble: TroubleKind?, normalised: String) throws {
        let payload = F.alarm(["class": nil, "restore": nil, "cid": "\"\(code)\""])
        let event = try #require(F.decode(F.alarmTopic, payload).alarm)
        #expect(event.eventClass == eventClass)
        #expect(event.isRestore == restore)
        #expect(event.trouble == trouble)
        #expect(event.code == normalised)
    }

    @Test(arguments: ["E999", "6130", "E13", "E1300", "X130", "e130", "E1A0", "E100", "E150"])
    func unknownContactIDCodes(code: String) throws {
        let rejection = try #require(F.decode(F.alarmTopic, F.alarm(["class": nil, "cid": "\"\(code)\""])).rejection)
        #expect(rejection.reason == .unknownCode)
        #expect(rejection.detail.contains("cid"))
    }

    @Test(arguments: ["ZZ", "ba", "B", "BAA", ""])
    func unknownSIACodes(code: String) throws {
        let rejection = try #require(F.decode(F.alarmTopic, F.alarm(["class": nil, "sia": "\"\(code)\""])).rejection)
        #expect(rejection.reason == .unknownCode)
    }

    @Test func codeAndRestoreFlagMustAgree() throws {
        let agree = F.decode(F.alarmTopic, F.alarm(["class": nil, "restore": "true", "sia": "\"BR\""]))
        #expect(agree.alarm?.isRestore == true)
        let rejection = try #require(F.decode(F.alarmTopic, F.alarm(["class": nil, "restore": "false", "sia": "\"BR\""])).rejection)
        #expect(rejection.reason == .invalidField)
        #expect(rejection.detail.contains("restore"))
    }

    @Test func onlyOneOfClassSiaCid() throws {
        let rejection = try #require(F.decode(F.alarmTopic, F.alarm(["sia": "\"BA\""])).rejection)
        #expect(rejection.reason == .invalidField)
        let missing = try #require(F.decode(F.alarmTopic, F.alarm(["class": nil])).rejection)
        #expect(missing.reason == .missingField)
        #expect(missing.detail.hasPrefix("class"))
    }

    @Test func troubleOnlyWithTroubleClass() throws {
        let rejection = try #require(F.decode(F.alarmTopic, F.alarm(["trouble": "\"low-battery\""])).rejection)
        #expect(rejection.reason == .invalidField)
        #expect(rejection.detail.hasPrefix("trouble"))
    }
}
