import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchReport

/// The journal records of one scenario night on the example Upplands-Bro configuration,
/// modelled on `deploy/scenarios/school-intrusion-verified.yaml` (Thursday 26 November
/// 2026): a verified intrusion at Broskolan answered by P2, an unverified alarm at Brohuset
/// that an operator closes as a false alarm, a panel that goes silent and comes back, a
/// missed stop, a directed check, and the operators' actions.
enum ScenarioNight {
    static let night = Night(date: LocalDate(year: 2026, month: 11, day: 26))

    static var configuration: WatchConfiguration {
        get throws {
            let path = TestPaths.repositoryRoot.appendingPathComponent("deploy/config/upplands-bro.yaml").path
            return try ConfigurationLoader.load(path: path).watch
        }
    }

    /// Milliseconds of a Stockholm wall-clock time in the night ("21:16", "01:10:30").
    static func at(_ text: String) -> Int64 {
        let parts = text.split(separator: ":").map { Int($0)! }
        let date = parts[0] < 12 ? night.date.adding(days: 1) : night.date
        let base = StockholmTime.resolve(date, LocalTime(hour: parts[0], minute: parts[1])).millisecondsSinceEpoch
        return base + Int64(parts.count > 2 ? parts[2] : 0) * 1000
    }

    static var records: NightRecords {
        var r = NightRecords()
        // A verified intrusion at Broskolan, P2 sent, on site, cleared.
        let i1 = "inc-broskolan-1"
        r.transitions += [
            .init(incident: i1, site: "broskolan", from: nil, to: "new", priority: "verified-intrusion", cause: "intrusion verified by pir-korridor-1 then pir-korridor-2", time: at("01:11:30")),
            .init(incident: i1, site: "broskolan", from: "new", to: "dispatched", priority: "verified-intrusion", cause: "unit P2 requested", time: at("01:11:30")),
            .init(incident: i1, site: "broskolan", from: "dispatched", to: "acknowledged", priority: "verified-intrusion", cause: "unit P2 accepted", time: at("01:12:10")),
            .init(incident: i1, site: "broskolan", from: "acknowledged", to: "on-site", priority: "verified-intrusion", cause: "unit P2 arrived", time: at("01:24")),
            .init(incident: i1, site: "broskolan", from: "on-site", to: "cleared", priority: "verified-intrusion", cause: "unit P2 cleared: intrusion", time: at("01:44")),
        ]
        r.guardRequests.append(.init(
            incident: i1, unit: "P2", site: "broskolan", priority: "verified-intrusion", verification: "sequential",
            triggers: ["intrusion pir-korridor-1 (zone korridor)", "intrusion pir-korridor-2 (zone korridor)"], attempt: 1, time: at("01:11:30")))
        r.unitMessages += [
            .init(kind: "reply", unit: "P2", state: "accepted", incident: i1, time: at("01:12:10")),
            .init(kind: "reply", unit: "P2", state: "arrived", incident: i1, time: at("01:24")),
            .init(kind: "reply", unit: "P2", state: "cleared", incident: i1, time: at("01:44")),
        ]
        // An unverified alarm at Brohuset, closed by an operator before any dispatch.
        let i2 = "inc-brohuset-1"
        r.transitions += [
            .init(incident: i2, site: "brohuset", from: nil, to: "new", priority: "unverified-intrusion", cause: "intrusion pir-entre (zone entre), waiting for verification", time: at("22:40")),
            .init(incident: i2, site: "brohuset", from: "new", to: "closed", priority: "unverified-intrusion", cause: "closed by anna: false-alarm: cleaner on site", time: at("22:43")),
        ]
        r.operatorActions += [
            .init(action: "acknowledge", author: "anna", incident: i2, site: nil, detail: "acknowledged", time: at("22:41")),
            .init(action: "note", author: "anna", incident: i2, site: nil, detail: "camera shows the cleaner", time: at("22:42")),
            .init(action: "close", author: "anna", incident: i2, site: nil, detail: "false-alarm: cleaner on site", time: at("22:43")),
            .init(action: "acknowledge", author: "anna", incident: i1, site: nil, detail: "acknowledged", time: at("01:12")),
            .init(action: "directed-check", author: "anna", incident: nil, site: "tibbleskolan", detail: "window reported open", time: at("23:30")),
        ]
        // Route P1 in the evening: on time, then late, then missed.
        r.unitMessages += [
            .init(kind: "checkin", unit: "P1", site: "brohuset", state: "nfc", time: at("20:40")),
            .init(kind: "checkin", unit: "P1", site: "broskolan", state: "nfc", time: at("21:20")),
            .init(kind: "checkin", unit: "P1", site: "finnstaskolan", state: "geofence", time: at("22:30")),
            .init(kind: "checkin", unit: "P1", site: "tibbleskolan", state: "nfc", time: at("00:50")),
            .init(kind: "position", unit: "P1", latitude: 59.51, longitude: 17.64, time: at("01:00")),
            .init(kind: "status", unit: "P1", state: "available", time: at("01:00")),
        ]
        r.warnings += [
            .init(site: "harneviskolan", code: "missed-stop", message: "P1 did not visit Härneviskolan in 22:15–22:45", time: at("22:45")),
            .init(site: "raby-forskola", code: "device-offline", message: "panel-raby silent since 23:02", time: at("23:10")),
            .init(site: "raby-forskola", code: "device-restored", message: "panel-raby is back", time: at("23:55")),
        ]
        r.rejected = ["malformed-json": 2, "unknown-device": 1]
        return r
    }
}
