import Foundation
import PropertyWatchCore
import Yams

/// Reads a scenario file (YAML). Every problem is collected with its key path; scalars are
/// read as written (so `22:40` stays a time, not YAML 1.1's base-60 number).
public struct ScenarioParser {
    public let file: String
    private var problems: [String] = []

    /// The example configuration, relative to a scenario file in `deploy/scenarios/`.
    public static let defaultConfiguration = "../config/upplands-bro.yaml"

    public static func load(path: String) throws -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(file: path, problems: ["cannot read the file: \(error.localizedDescription)"])
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) throws -> Scenario {
        var parser = ScenarioParser(file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ScenarioError(file: file, problems: ["invalid YAML: \(error)"])
        }
        guard let node, node.mapping != nil else { throw ScenarioError(file: file, problems: ["the scenario must be a mapping"]) }
        let scenario = parser.scenario(node)
        guard let scenario, parser.problems.isEmpty else { throw ScenarioError(file: file, problems: parser.problems) }
        return scenario
    }

    init(file: String) { self.file = file }

    // MARK: sections

    private static let topKeys: Set<String> = ["name", "description", "config", "start", "end", "seed", "step", "heartbeats", "patrol", "events", "expect"]

    private mutating func scenario(_ root: Node) -> Scenario? {
        checkKeys(root, Self.topKeys, "")
        let name = string(root["name"], "name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let configuration = string(root["config"], "config") ?? Self.defaultConfiguration
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        let configurationPath = configuration.hasPrefix("/") ? configuration : directory.appendingPathComponent(configuration).standardized.path
        guard let startText = string(root["start"], "start") else {
            problems.append("start: required (local time, e.g. \"2026-11-27 18:00\")")
            return nil
        }
        guard let start = ScenarioTime.dateTime(startText) else {
            problems.append("start: \"\(startText)\" is not a local date and time like \"2026-11-27 18:00\"")
            return nil
        }
        var end = start + .hours(12)
        if let text = string(root["end"], "end") {
            if let t = ScenarioTime.instant(text, after: start + Milliseconds(1)), t > start { end = t } else {
                problems.append("end: \"\(text)\" is not a time after start")
            }
        }
        var scenario = Scenario(
            name: name, description: string(root["description"], "description") ?? "", configurationPath: configurationPath,
            start: start, end: end)
        if let seed = string(root["seed"], "seed") {
            if let v = UInt64(seed) { scenario.seed = v } else { problems.append("seed: \"\(seed)\" is not a non-negative integer") }
        }
        if let step = duration(root["step"], "step") { scenario.step = max(step, .seconds(1)) }
        if let b = bool(root["heartbeats"], "heartbeats") { scenario.heartbeats = b }
        if let patrol = root["patrol"] { self.patrol(patrol, into: &scenario) }
        if let events = root["events"] {
            for (i, e) in sequence(events, "events").enumerated() {
                if let event = event(e, path: "events[\(i)]", start: start) { scenario.events.append(event) }
            }
        }
        // Stable by time: events at the same instant keep file order.
        scenario.events = scenario.events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        if let expect = root["expect"] { scenario.expectation = expectation(expect) }
        return scenario
    }

    private mutating func patrol(_ node: Node, into scenario: inout Scenario) {
        checkKeys(node, ["drive_routes", "default", "units"], "patrol")
        if let b = bool(node["drive_routes"], "patrol.drive_routes") { scenario.drivesRoutes = b }
        if let d = node["default"] { scenario.defaultPolicy = policy(d, path: "patrol.default", base: AnswerPolicy()) }
        if let units = node["units"] {
            for (key, value) in mapping(units, "patrol.units") {
                scenario.units[UnitID(key)] = policy(value, path: "patrol.units.\(key)", base: scenario.defaultPolicy)
            }
        }
    }

    private mutating func policy(_ node: Node, path: String, base: AnswerPolicy) -> AnswerPolicy {
        var p = base
        if let s = node.scalar?.string {
            if let a = AnswerPolicy.Answer(rawValue: s) { p.answer = a } else { problems.append("\(path): \"\(s)\" is not accept, decline or ignore") }
            return p
        }
        checkKeys(node, ["answer", "delay", "on_site", "outcome"], path)
        if let s = string(node["answer"], "\(path).answer") {
            if let a = AnswerPolicy.Answer(rawValue: s) { p.answer = a } else { problems.append("\(path).answer: \"\(s)\" is not accept, decline or ignore") }
        }
        if let d = duration(node["delay"], "\(path).delay") { p.delay = d }
        if let d = duration(node["on_site"], "\(path).on_site") { p.onSite = d }
        if let s = string(node["outcome"], "\(path).outcome") {
            if let o = IncidentOutcome(rawValue: s) { p.outcome = o } else { problems.append("\(path).outcome: unknown outcome \"\(s)\"") }
        }
        return p
    }

    private static let eventKinds = ["alarm", "camera", "silence", "resume", "fault", "flood", "checkin", "checkout", "unit_status", "frigate"]

    private mutating func event(_ node: Node, path: String, start: Timestamp) -> ScheduledEvent? {
        checkKeys(node, Set(["at"] + Self.eventKinds), path)
        guard let atText = string(node["at"], "\(path).at") else {
            problems.append("\(path).at: required")
            return nil
        }
        guard let at = ScenarioTime.instant(atText, after: start) else {
            problems.append("\(path).at: \"\(atText)\" is not a time (\"22:40\", \"22:40:30\", \"+2h30m\")")
            return nil
        }
        let kinds = Self.eventKinds.filter { node[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let body = node[kind] else {
            problems.append("\(path): needs exactly one of \(Self.eventKinds.joined(separator: ", "))")
            return nil
        }
        let p = "\(path).\(kind)"
        func site() -> SiteID? { required(body, "site", p).map(SiteID.init) }
        func device() -> DeviceID? { required(body, "device", p).map(DeviceID.init) }
        switch kind {
        case "alarm":
            checkKeys(body, ["site", "device", "class", "restore", "sia", "cid", "zone", "partition", "user", "trouble"], p)
            guard let s = site(), let d = device() else { return nil }
            var eventClass = EventClass.intrusion
            if let c = string(body["class"], "\(p).class") {
                guard let v = EventClass(rawValue: c) else {
                    problems.append("\(p).class: unknown class \"\(c)\"")
                    return nil
                }
                eventClass = v
            }
            var code: String?
            if let sia = string(body["sia"], "\(p).sia") { code = "SIA:\(sia)" }
            if let cid = string(body["cid"], "\(p).cid") { code = "CID:\(cid)" }
            var trouble: TroubleKind?
            if let t = string(body["trouble"], "\(p).trouble") {
                guard eventClass == .trouble, let kind = TroubleKind(rawValue: t) else {
                    problems.append("\(p).trouble: \"\(t)\" needs class trouble and one of \(TroubleKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }
                trouble = kind
            }
            let panel = PanelFields(
                zone: string(body["zone"], "\(p).zone"), partition: string(body["partition"], "\(p).partition"),
                user: string(body["user"], "\(p).user"), trouble: trouble)
            return ScheduledEvent(at: at, action: .alarm(
                site: s, device: d, eventClass: eventClass, restore: bool(body["restore"], "\(p).restore") ?? false, code: code,
                panel: panel))
        case "camera":
            checkKeys(body, ["site", "camera", "label", "zones", "score", "format"], p)
            guard let s = site(), let c = required(body, "camera", p) else { return nil }
            let labelText = string(body["label"], "\(p).label") ?? "person"
            guard let label = ObjectLabel(rawValue: labelText) else {
                problems.append("\(p).label: \"\(labelText)\" is not person, vehicle, motion or other")
                return nil
            }
            let zones = body["zones"].map { sequence($0, "\(p).zones").compactMap { $0.scalar?.string }.map(ZoneID.init) }
            let formatText = string(body["format"], "\(p).format") ?? "ours"
            guard let format = CameraSimulator.Format(rawValue: formatText) else {
                problems.append("\(p).format: \"\(formatText)\" is not ours or frigate")
                return nil
            }
            let score = string(body["score"], "\(p).score").flatMap(Double.init) ?? 0.9
            return ScheduledEvent(at: at, action: .camera(site: s, camera: DeviceID(c), label: label, zones: zones, score: score, format: format))
        case "silence", "resume":
            checkKeys(body, ["site", "device"], p)
            guard let s = site(), let d = device() else { return nil }
            return ScheduledEvent(at: at, action: .fault(site: s, device: d, fault: kind == "silence" ? .silent : nil))
        case "flood":
            checkKeys(body, ["site", "device", "per_minute", "for"], p)
            guard let s = site(), let d = device() else { return nil }
            let perMinute = string(body["per_minute"], "\(p).per_minute").flatMap(Int.init) ?? 120
            let length = duration(body["for"], "\(p).for") ?? .minutes(5)
            return ScheduledEvent(at: at, action: .fault(site: s, device: d, fault: .flood(perMinute: perMinute, until: at + length)))
        case "fault":
            checkKeys(body, ["site", "device", "mode", "skew"], p)
            guard let s = site(), let d = device(), let mode = required(body, "mode", p) else { return nil }
            let fault: PanelFault?
            switch mode {
            case "none": fault = nil
            case "silent": fault = .silent
            case "buffering": fault = .buffering
            case "losing": fault = .losing
            case "garbage": fault = .garbage
            case "duplicates": fault = .duplicates
            case "clock_skew":
                let text = string(body["skew"], "\(p).skew") ?? "15m"
                let negative = text.hasPrefix("-")
                guard let skew = ScenarioTime.duration(negative ? String(text.dropFirst()) : text) else {
                    problems.append("\(p).skew: \"\(text)\" is not a duration")
                    return nil
                }
                fault = .clockSkew(negative ? Milliseconds(-skew.value) : skew)
            default:
                problems.append("\(p).mode: \"\(mode)\" is not none, silent, buffering, losing, garbage, duplicates or clock_skew (use flood: for floods)")
                return nil
            }
            return ScheduledEvent(at: at, action: .fault(site: s, device: d, fault: fault))
        case "checkin", "checkout":
            checkKeys(body, ["unit", "site"], p)
            guard let u = required(body, "unit", p), let s = site() else { return nil }
            return ScheduledEvent(at: at, action: .checkIn(unit: UnitID(u), site: s, present: kind == "checkin"))
        case "frigate":
            switch body.scalar?.string {
            case "online": return ScheduledEvent(at: at, action: .frigate(online: true))
            case "offline": return ScheduledEvent(at: at, action: .frigate(online: false))
            default:
                problems.append("\(p): expected online or offline (Frigate's frigate/available)")
                return nil
            }
        case "unit_status":
            checkKeys(body, ["unit", "state"], p)
            guard let u = required(body, "unit", p), let st = required(body, "state", p) else { return nil }
            guard let state = UnitState(rawValue: st) else {
                problems.append("\(p).state: \"\(st)\" is not available, en-route, on-site or off-duty")
                return nil
            }
            return ScheduledEvent(at: at, action: .unitStatus(unit: UnitID(u), state: state))
        default:
            return nil
        }
    }

    private mutating func expectation(_ node: Node) -> ScenarioExpectation {
        checkKeys(node, ["incidents", "only_listed_incidents", "warnings", "forbidden_warnings", "all_acknowledged"], "expect")
        var e = ScenarioExpectation()
        if let list = node["incidents"] {
            for (i, item) in sequence(list, "expect.incidents").enumerated() {
                if let incident = expectedIncident(item, path: "expect.incidents[\(i)]") { e.incidents.append(incident) }
            }
        }
        if let b = bool(node["only_listed_incidents"], "expect.only_listed_incidents") { e.onlyListedIncidents = b }
        if let b = bool(node["all_acknowledged"], "expect.all_acknowledged") { e.allAcknowledged = b }
        if let list = node["warnings"] {
            for (i, item) in sequence(list, "expect.warnings").enumerated() {
                let p = "expect.warnings[\(i)]"
                checkKeys(item, ["code", "site"], p)
                if let code = required(item, "code", p) {
                    e.warnings.append(ExpectedWarning(code: code, site: string(item["site"], "\(p).site").map(SiteID.init)))
                }
            }
        }
        if let list = node["forbidden_warnings"] {
            e.forbiddenWarnings = sequence(list, "expect.forbidden_warnings").compactMap { $0.scalar?.string }
        }
        return e
    }

    private mutating func expectedIncident(_ node: Node, path p: String) -> ExpectedIncident? {
        checkKeys(node, ["site", "priority", "verification", "state", "states", "requested", "accepted_by", "escalations", "cause_contains"], p)
        guard let site = required(node, "site", p) else { return nil }
        var e = ExpectedIncident(site: SiteID(site))
        if let s = string(node["priority"], "\(p).priority") {
            if let v = IncidentPriority.allCases.first(where: { $0.name == s }) { e.priority = v } else { problems.append("\(p).priority: unknown priority \"\(s)\"") }
        }
        if let s = string(node["verification"], "\(p).verification") {
            if let v = Verification(rawValue: s) { e.verification = v } else { problems.append("\(p).verification: \"\(s)\" is not none, sequential or video") }
        }
        if let s = string(node["state"], "\(p).state") {
            if let v = IncidentState(rawValue: s) { e.state = v } else { problems.append("\(p).state: unknown state \"\(s)\"") }
        }
        if let list = node["states"] {
            for s in sequence(list, "\(p).states").compactMap({ $0.scalar?.string }) {
                if let v = IncidentState(rawValue: s) { e.states.append(v) } else { problems.append("\(p).states: unknown state \"\(s)\"") }
            }
        }
        if let list = node["requested"] { e.requested = sequence(list, "\(p).requested").compactMap { $0.scalar?.string }.map(UnitID.init) }
        if let s = string(node["accepted_by"], "\(p).accepted_by") { e.acceptedBy = UnitID(s) }
        if let list = node["escalations"] { e.escalations = sequence(list, "\(p).escalations").compactMap { $0.scalar?.string } }
        e.causeContains = string(node["cause_contains"], "\(p).cause_contains")
        return e
    }

    // MARK: node access

    private mutating func checkKeys(_ node: Node, _ allowed: Set<String>, _ path: String) {
        guard let mapping = node.mapping else {
            problems.append("\(path.isEmpty ? "(root)" : path): expected a mapping")
            return
        }
        for key in mapping.keys.compactMap({ $0.scalar?.string }) where !allowed.contains(key) {
            problems.append("\(path.isEmpty ? "" : path + ".")\(key): unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private mutating func string(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let s = node.scalar?.string else {
            problems.append("\(path): expected a single value")
            return nil
        }
        return s
    }

    private mutating func required(_ node: Node, _ key: String, _ path: String) -> String? {
        guard let value = string(node[key], "\(path).\(key)") else {
            if node[key] == nil { problems.append("\(path).\(key): required") }
            return nil
        }
        return value
    }

    private mutating func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let s = string(node, path) else { return nil }
        switch s {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problems.append("\(path): \"\(s)\" is not true or false")
            return nil
        }
    }

    private mutating func duration(_ node: Node?, _ path: String) -> Milliseconds? {
        guard let s = string(node, path) else { return nil }
        guard let d = ScenarioTime.duration(s) else {
            problems.append("\(path): \"\(s)\" is not a duration (\"90\", \"30s\", \"2m\", \"1h30m\")")
            return nil
        }
        return d
    }

    private mutating func sequence(_ node: Node, _ path: String) -> [Node] {
        guard let s = node.sequence else {
            problems.append("\(path): expected a list")
            return []
        }
        return Array(s)
    }

    private mutating func mapping(_ node: Node, _ path: String) -> [(String, Node)] {
        guard let m = node.mapping else {
            problems.append("\(path): expected a mapping")
            return []
        }
        return m.compactMap { k, v in k.scalar.map { ($0.string, v) } }
    }
}
