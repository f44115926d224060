import ArgumentParser
import PropertyWatchCore
import SimulatorKit

/// `pw-sim night`: panels, cameras and patrol cars play a whole made-up night against a
/// running daemon, printing what happens.
struct NightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "night", abstract: "Play a whole night (panels, cameras, patrol) against a running daemon.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var night: NightOptions

    @Option(help: "Alarm incidents in the night.")
    var alarms: Int = 6

    @Option(help: "Camera-only detections in the night.")
    var cameraDetections: Int = 3

    func run() throws {
        let configuration = try connection.loadConfiguration()
        let start = try night.startTime()
        let end = start + .hours(Int64(night.hours))
        var scenario = Scenario(name: "night", configurationPath: connection.config, start: start, end: end, seed: night.seed)
        scenario.events = NightGenerator(configuration: configuration).events(
            start: start, end: end, seed: night.seed, options: .init(alarms: alarms, cameraDetections: cameraDetections))
        // Most guards accept; one in four declines (a variety of answers, the same for a seed).
        var rng = SplitMix64(seed: night.seed).fork("answers")
        for unit in configuration.patrol.units {
            let answer: AnswerPolicy.Answer = rng.next() % 4 == 0 ? .decline : .accept
            scenario.units[unit.id] = AnswerPolicy(answer: answer, delay: .seconds(Int64(10 + rng.next() % 50)), outcome: .falseAlarm)
        }
        let link = try connection.connect("night")
        var sim = Simulation(configuration: configuration, scenario: scenario, sequenceBase: night.sequenceBase)
        print("night: \(ScenarioTime.formatFull(start)) – \(ScenarioTime.formatFull(end)), \(scenario.events.count) scheduled events, seed \(night.seed), "
            + (night.virtualClock ? "virtual clock" : "real time ×\(night.speed)"))
        try night.run(&sim, link: link)
        printSummary(sim)
    }
}

/// `pw-sim panels`: alarm panels and detectors only: heartbeats, random events, faults.
struct PanelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "panels", abstract: "Simulate alarm panels and detectors.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var night: NightOptions

    @Option(help: "Alarm incidents to generate.")
    var alarms: Int = 6

    @Option(help: "Fault mode for --device from the start: silent, garbage, duplicates, clock-skew, flood.")
    var fault: String?

    @Option(help: "The faulty device as site/device.")
    var device: String?

    func run() throws {
        let configuration = try connection.loadConfiguration()
        let start = try night.startTime()
        let end = start + .hours(Int64(night.hours))
        var scenario = Scenario(name: "panels", configurationPath: connection.config, start: start, end: end, seed: night.seed)
        scenario.events = NightGenerator(configuration: configuration).events(
            start: start, end: end, seed: night.seed, options: .init(alarms: alarms, cameraDetections: 0))
            .filter { if case .camera = $0.action { false } else { true } }
        if let fault {
            guard let device, case let parts = device.split(separator: "/"), parts.count == 2 else {
                throw SimulatorFailure("--fault needs --device site/device")
            }
            let mode: PanelFault
            switch fault {
            case "silent": mode = .silent
            case "garbage": mode = .garbage
            case "duplicates": mode = .duplicates
            case "clock-skew": mode = .clockSkew(.minutes(15))
            case "flood": mode = .flood(perMinute: 120, until: end)
            default: throw SimulatorFailure("--fault: silent, garbage, duplicates, clock-skew or flood")
            }
            scenario.events.insert(ScheduledEvent(at: start, action: .fault(site: SiteID(String(parts[0])), device: DeviceID(String(parts[1])), fault: mode)), at: 0)
        }
        let link = try connection.connect("panels")
        var sim = Simulation(configuration: configuration, scenario: scenario, sequenceBase: night.sequenceBase, simulatePatrol: false)
        try night.run(&sim, link: link)
        printSummary(sim)
    }
}

/// `pw-sim cameras`: camera triggers only, in our format or Frigate's.
struct CamerasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cameras", abstract: "Simulate camera triggers (ours or Frigate's frigate/events).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var night: NightOptions

    @Option(help: "Detections to generate.")
    var detections: Int = 10

    @Option(help: "Wire format: ours or frigate (needs the configuration's frigate mapping).")
    var format: String = "ours"

    func run() throws {
        guard let format = CameraSimulator.Format(rawValue: format) else { throw SimulatorFailure("--format: ours or frigate") }
        let configuration = try connection.loadConfiguration()
        let start = try night.startTime()
        let end = start + .hours(Int64(night.hours))
        var scenario = Scenario(name: "cameras", configurationPath: connection.config, start: start, end: end, seed: night.seed, heartbeats: false)
        scenario.events = NightGenerator(configuration: configuration).events(
            start: start, end: end, seed: night.seed, options: .init(alarms: 0, cameraDetections: detections, fire: false, cameraFormat: format))
        let link = try connection.connect("cameras")
        var sim = Simulation(configuration: configuration, scenario: scenario, simulatePanels: false, simulatePatrol: false)
        try night.run(&sim, link: link)
        printSummary(sim)
    }
}

/// `pw-sim patrol`: the patrol cars only: routes, check-ins, answers to guard requests.
struct PatrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "patrol", abstract: "Simulate patrol cars driving tonight's routes and answering guard requests.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var night: NightOptions

    @Option(help: "How units answer guard requests: accept, decline or ignore.")
    var answer: String = "accept"

    @Option(help: "Seconds before a unit answers.")
    var delay: Int64 = 20

    @Option(help: "Minutes a unit spends at an incident.")
    var onSite: Int64 = 15

    func run() throws {
        guard let answer = AnswerPolicy.Answer(rawValue: answer) else { throw SimulatorFailure("--answer: accept, decline or ignore") }
        let configuration = try connection.loadConfiguration()
        let start = try night.startTime()
        var scenario = Scenario(name: "patrol", configurationPath: connection.config, start: start, end: start + .hours(Int64(night.hours)), seed: night.seed, heartbeats: false)
        scenario.defaultPolicy = AnswerPolicy(answer: answer, delay: .seconds(delay), onSite: .minutes(onSite))
        let link = try connection.connect("patrol")
        var sim = Simulation(configuration: configuration, scenario: scenario, simulatePanels: false)
        try night.run(&sim, link: link)
        printSummary(sim)
    }
}
