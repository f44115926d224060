import ArgumentParser
import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import SimulatorKit

/// Where the broker is and which configuration the devices and sites come from.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Configuration file (sites, devices, patrol), the daemon's.")
    var config: String = "deploy/config/upplands-bro.yaml"

    @Option(help: "Broker host.")
    var host: String = "127.0.0.1"

    @Option(help: "Broker port.")
    var port: Int32 = 1883

    @Option(help: "Use a synthetic municipality of this many identical sites instead of --config (load tests; the daemon must use the same).")
    var syntheticSites: Int?

    func loadConfiguration() throws -> WatchConfiguration {
        if let syntheticSites {
            guard syntheticSites > 0 else { throw SimulatorFailure("--synthetic-sites: at least 1") }
            return SyntheticMunicipality.configuration(sites: syntheticSites)
        }
        do {
            return try ConfigurationLoader.load(path: config).watch
        } catch {
            throw SimulatorFailure("\(error)")
        }
    }

    /// - Parameter listening: subscribe to what the daemon publishes (a publisher that never
    ///   reads must not subscribe: the broker would queue for it without bound).
    func connect(_ name: String, listening: Bool = true) throws -> MQTTLink {
        try MQTTLink(
            host: host, port: port, clientID: "pw-sim-\(name)-\(UUID().uuidString.prefix(6))",
            subscriptions: listening ? DaemonOutput.subscriptions : [])
    }
}

/// How a generated night runs: which night, how fast, on which clock.
struct NightOptions: ParsableArguments {
    @Option(help: "Seed for every random choice.")
    var seed: UInt64 = 1

    @Option(help: "Speed factor over real time (120: a 12-hour night in 6 minutes; 0 with --virtual-clock: as fast as possible).")
    var speed: Double = 120

    @Flag(help: "Drive the daemon's virtual clock (the daemon must run with --virtual-clock).")
    var virtualClock = false

    @Option(help: "Local start date (YYYY-MM-DD) with --virtual-clock; default today.")
    var date: String?

    @Option(help: "Local start time with --virtual-clock.")
    var start: String = "18:00"

    @Option(help: "Length of the night in hours.")
    var hours: Int = 12

    /// The night's start: now on the real clock, else the given local date and time.
    func startTime() throws -> Timestamp {
        guard virtualClock else { return Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
        let day = date ?? "\(StockholmTime.local(Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))).date)"
        guard let t = ScenarioTime.dateTime("\(day) \(start)") else { throw SimulatorFailure("--date/--start: not a local date and time") }
        return t
    }

    /// Panel sequence numbers above anything an earlier run against the same journal used.
    var sequenceBase: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) * 1000 }

    func run(_ sim: inout Simulation, link: MQTTLink) throws {
        let driver = SimulationDriver(link: link) { print($0) }
        if virtualClock {
            try driver.runVirtual(&sim, pace: speed)
        } else {
            try driver.runRealTime(&sim, speed: speed)
        }
    }
}

/// Prints the end-of-night summary of a generated night.
func printSummary(_ sim: Simulation) {
    let o = sim.outcome
    print("")
    print("summary: \(o.incidents.count) incident(s), \(o.incidents.values.reduce(0) { $0 + $1.requests.count }) guard request(s), "
        + "\(o.warnings.count) warning(s); \(sim.panels.sent) alarm event(s) sent, \(sim.panels.retransmitted) retransmitted, "
        + "\(sim.panels.acknowledged) acknowledged, \(sim.panels.unacknowledgedCount) unacknowledged")
    for i in o.orderedIncidents {
        print("  \(i.id) \(i.site): \(i.highestPriority?.name ?? "-"), \(i.finalState?.rawValue ?? "-"), requested [\(i.requestedUnits.map(\.rawValue).joined(separator: ", "))]"
            + (i.escalationTargets.isEmpty ? "" : ", escalated to \(i.escalationTargets.joined(separator: ", "))"))
    }
}
