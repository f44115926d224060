import PropertyWatchCore

/// The `rules` section (global, and per site over the global one): every correlation rule
/// setting, each key optional and starting from the rules it overrides.
extension ConfigurationReader {
    static let ruleKeys = [
        "verification_window_minutes", "sequential_verification", "video_before_seconds", "video_after_seconds",
        "unverified_intrusion", "verify_first_minutes", "after_verify_first", "camera_detection", "alarm_while_unset",
        "restore_cancel_seconds", "flapping", "flood", "supervision", "communication_failure_min_devices",
        "guard_presence_minutes", "merge_window_minutes", "priorities", "dispatch_threshold", "late_to_close_check",
    ]

    static let priorityNames = IncidentPriority.allCases.map(\.name)

    mutating func rules(_ entry: Entry?, over base: CorrelationRules) -> CorrelationRules {
        var rules = base
        guard let f = fields(entry, known: Self.ruleKeys) else { return rules }
        if let m = int(f["verification_window_minutes"], in: 1...240) { rules.verificationWindow = .minutes(Int64(m)) }
        if let v = choice(f["sequential_verification"], of: SequentialRequirement.allCases.map(\.rawValue)) {
            rules.sequentialRequires = SequentialRequirement(rawValue: v) ?? rules.sequentialRequires
        }
        if let s = int(f["video_before_seconds"], in: 0...3600) { rules.videoBefore = .seconds(Int64(s)) }
        if let s = int(f["video_after_seconds"], in: 0...3600) { rules.videoAfter = .seconds(Int64(s)) }
        let actions = ["dispatch", "verify-first", "directed-check", "record"]
        if let v = choice(f["unverified_intrusion"], of: actions) {
            switch v {
            case "verify-first":
                let wait = rules.unverifiedIntrusion.wait.value > 0 ? rules.unverifiedIntrusion.wait : .minutes(5)
                rules.unverifiedIntrusion = UnverifiedIntrusionPolicy(wait: wait, action: rules.unverifiedIntrusion.wait.value > 0 ? rules.unverifiedIntrusion.action : .dispatch)
            default:
                rules.unverifiedIntrusion = UnverifiedIntrusionPolicy(wait: Milliseconds(0), action: UnverifiedAction(rawValue: v) ?? .dispatch)
            }
        }
        let verifyFirst = rules.unverifiedIntrusion.wait.value > 0
        if let m = int(f["verify_first_minutes"], in: 1...120) {
            if verifyFirst { rules.unverifiedIntrusion.wait = .minutes(Int64(m)) }
            else if let e = f["verify_first_minutes"] { error(e, "only applies with unverified_intrusion: verify-first") }
        }
        if let v = choice(f["after_verify_first"], of: UnverifiedAction.allCases.map(\.rawValue)) {
            if verifyFirst { rules.unverifiedIntrusion.action = UnverifiedAction(rawValue: v) ?? .dispatch }
            else if let e = f["after_verify_first"] { error(e, "only applies with unverified_intrusion: verify-first") }
        }
        if let v = choice(f["camera_detection"], of: CameraDetectionPolicy.allCases.map(\.rawValue)) {
            rules.cameraDetection = CameraDetectionPolicy(rawValue: v) ?? rules.cameraDetection
        }
        if let v = choice(f["alarm_while_unset"], of: AlarmWhileUnsetPolicy.allCases.map(\.rawValue)) {
            rules.alarmWhileUnset = AlarmWhileUnsetPolicy(rawValue: v) ?? rules.alarmWhileUnset
        }
        if let k = fields(f["restore_cancel_seconds"], known: DeviceKind.allCases.map(\.rawValue)) {
            for kind in DeviceKind.allCases {
                guard let seconds = int(k[kind.rawValue], in: 0...600) else { continue }
                if kind == .smoke || kind == .heat || kind == .holdUp, seconds > 0, let e = k[kind.rawValue] {
                    error(e, "fire and hold-up alarms are never held back for a restore")
                    continue
                }
                rules.restoreCancel[kind] = .seconds(Int64(seconds))
            }
        }
        if let flapping = flapRule(f["flapping"], over: rules.flapping) { rules.flapping = flapping }
        if let g = fields(f["flood"], known: ["rate_per_minute", "burst", "calm_minutes"]) {
            if let v = int(g["rate_per_minute"], in: 1...10_000) { rules.floodRatePerMinute = Int64(v) }
            if let v = int(g["burst"], in: 1...10_000) { rules.floodBurst = Int64(v) }
            if let v = int(g["calm_minutes"], in: 1...60) { rules.floodCalm = .minutes(Int64(v)) }
        }
        if let g = fields(f["supervision"], known: ["missed", "grace_seconds", "directed_check"]) {
            if let v = int(g["missed"], in: 1...10) { rules.supervisionMissed = Int64(v) }
            if let v = int(g["grace_seconds"], in: 0...3600) { rules.supervisionGrace = .seconds(Int64(v)) }
            if let v = bool(g["directed_check"]) { rules.supervisionDirectedCheck = v }
        }
        if let v = choice(f["late_to_close_check"], of: LateToCloseCheck.allCases.map(\.rawValue)) {
            rules.lateToCloseCheck = LateToCloseCheck(rawValue: v) ?? rules.lateToCloseCheck
        }
        if let v = int(f["communication_failure_min_devices"], in: 1...1000) { rules.communicationFailureMinDevices = v }
        if let v = int(f["guard_presence_minutes"], in: 0...720) {
            rules.guardPresenceAttributes = v > 0
            if v > 0 { rules.guardPresenceTimeout = .minutes(Int64(v)) }
        }
        if let v = int(f["merge_window_minutes"], in: 0...720) { rules.mergeWindow = .minutes(Int64(v)) }
        if let p = fields(f["priorities"], known: IncidentKind.allCases.map(\.rawValue)) {
            for kind in IncidentKind.allCases {
                guard let name = choice(p[kind.rawValue], of: Self.priorityNames) else { continue }
                rules.priorities[kind] = IncidentPriority.allCases.first { $0.name == name }
            }
        }
        if let name = choice(f["dispatch_threshold"], of: Self.priorityNames),
           let priority = IncidentPriority.allCases.first(where: { $0.name == name })
        {
            rules.dispatchThreshold = priority
        }
        return rules
    }

    mutating func flapRule(_ entry: Entry?, over base: FlapRule) -> FlapRule? {
        guard let g = fields(entry, known: ["changes", "window_minutes", "quiet_minutes"]) else { return nil }
        var rule = base
        if let v = int(g["changes"], in: 2...1000) { rule.changes = v }
        if let v = int(g["window_minutes"], in: 1...1440) { rule.window = .minutes(Int64(v)) }
        if let v = int(g["quiet_minutes"], in: 1...1440) { rule.quiet = .minutes(Int64(v)) }
        return rule
    }
}
