@testable import PropertyWatchCore

/// A small world for patrol tests: sites `s40` … `s60` on one meridian at latitude 59.NN,
/// and a travel model under which 0.01° of latitude takes exactly one minute.
enum PatrolFixture {
    static let minutePerCentidegree = TravelTimeModel(
        roadFactor: 1, averageSpeed: 0.01 * Double.pi / 180 * 6371.0088 * 60)

    static func coordinate(_ n: Int) -> Coordinate { Coordinate(latitude: 59 + Double(n) / 100, longitude: 17.75) }

    static func site(_ n: Int) -> SiteID { SiteID("s\(n)") }

    static let sites: [SiteConfiguration] = (40...60).map { n in
        SiteConfiguration(
            id: site(n), name: n == 45 ? "Brohuset" : "Site \(n)", kind: .civic,
            address: "Gatan \(n), Kungsängen", location: coordinate(n), priority: n == 58 ? 9 : 5)
    }

    /// A winter Wednesday; the night of 14–15 January 2026 (CET).
    static let winterNight = LocalDate(year: 2026, month: 1, day: 14)

    /// The instant of local `h:m` during `night` (hours before noon fall on the next morning).
    static func at(_ h: Int, _ m: Int = 0, _ s: Int = 0, night: LocalDate = winterNight) -> Timestamp {
        let date = h < 12 ? night.adding(days: 1) : night
        return StockholmTime.resolve(date, LocalTime(hour: h, minute: m)) + .seconds(Int64(s))
    }

    static func stop(_ n: Int, _ from: (Int, Int), _ to: (Int, Int), dwell: Int) -> RouteStop {
        RouteStop(
            site: site(n), windowStart: LocalTime(hour: from.0, minute: from.1),
            windowEnd: LocalTime(hour: to.0, minute: to.1), dwellMinutes: dwell)
    }

    static func directory(
        units: [UnitConfiguration],
        shifts: [ShiftConfiguration]? = nil,
        routes: [RouteConfiguration] = [],
        escalation: EscalationConfiguration = EscalationConfiguration(
            centralWebhookURL: "https://central.example/hook", onCallContact: "+46700000000")
    ) -> SiteDirectory {
        let allNight = ShiftConfiguration(
            id: "night", units: units.map(\.id), weekdays: Set(1...7),
            start: LocalTime(hour: 22), end: LocalTime(hour: 6))
        return SiteDirectory(WatchConfiguration(
            sites: sites,
            patrol: PatrolConfiguration(
                units: units, shifts: shifts ?? [allNight], routes: routes,
                travel: minutePerCentidegree, escalation: escalation)))
    }

    static func units(_ ids: String...) -> [UnitConfiguration] {
        ids.map { UnitConfiguration(id: UnitID($0), callSign: $0) }
    }

    static func incident(_ id: String = "I1", at n: Int, _ priority: IncidentPriority, openedAt: Timestamp) -> Incident {
        Incident(id: IncidentID(id), site: site(n), priority: priority, zones: ["z1"], triggers: ["intrusion pir-1 (zone z1)"], openedAt: openedAt)
    }

    static func position(_ unit: String, _ n: Int, _ time: Timestamp) -> DispatchInput {
        .position(UnitPosition(unit: UnitID(unit), position: coordinate(n), speed: 0, time: time))
    }

    static func reply(_ unit: String, _ kind: GuardReply.Kind, _ time: Timestamp, incident: String = "I1", outcome: IncidentOutcome? = nil, note: String? = nil) -> DispatchInput {
        .reply(GuardReply(unit: UnitID(unit), incident: IncidentID(incident), kind: kind, outcome: outcome, note: note, time: time))
    }
}

extension DispatchFact {
    /// The state the engine moves the incident to (nil: it keeps its state).
    var to: IncidentState? {
        switch kind {
        case .dispatched: .dispatched
        case .acknowledged: .acknowledged
        case .enRoute: nil
        case .onSite: .onSite
        case .cleared: .cleared
        case .escalated: .escalated
        }
    }
}

extension Array where Element == DispatchAction {
    var requests: [GuardRequest] {
        compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
    }
    var updates: [GuardRequest] {
        compactMap { if case .updateRequest(let r) = $0 { r } else { nil } }
    }
    var facts: [DispatchFact] {
        compactMap { if case .fact(let f) = $0 { f } else { nil } }
    }
    var warningCodes: [String] {
        compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } }
    }
    var warningMessages: [String] {
        compactMap { if case .warning(_, _, let message) = $0 { message } else { nil } }
    }
    var centralKeys: [String] {
        compactMap { if case .notifyCentral(_, let key, _) = $0 { key } else { nil } }
    }
    var onCalls: [String] {
        compactMap { if case .notifyOnCall(_, let contact, _) = $0 { contact } else { nil } }
    }
}
