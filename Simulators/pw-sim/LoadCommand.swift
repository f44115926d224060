import ArgumentParser
import Foundation
import Histogram
import PropertyWatchCore
import SimulatorKit

/// `pw-sim load`: N configured devices send at R messages a second with a payload mix, bounded
/// in count and time, to a daemon on this machine. Measures what the daemon acknowledged (its
/// end-to-end acknowledgements), what it dispatched, and the latencies alarm → acknowledgement
/// and alarm → guard request.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load-test a daemon on this machine (loopback only).")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Devices to use (the first N alarm devices of the configuration).")
    var devices: Int = 50

    @Option(help: "Messages per second, over all devices.")
    var rate: Double = 1000

    @Option(help: "Stop after this many messages.")
    var count: Int = 20_000

    @Option(help: "Stop after this many seconds (at most 300).")
    var duration: Double = 20

    @Option(help: "Payload mix, e.g. heartbeat=70,intrusion=20,camera=8,fire=2.")
    var mix: String = "heartbeat=70,intrusion=20,camera=8,fire=2"

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Flag(help: "Only publish, as fast as the broker acknowledges, and exit once it has every message: builds a backlog while no daemon runs (no retransmissions, no waiting for the daemon).")
    var backlog = false

    func run() throws {
        guard ["127.0.0.1", "localhost", "::1"].contains(connection.host) else {
            throw SimulatorFailure("load runs against a broker on this machine only (--host 127.0.0.1)")
        }
        guard let mix = LoadMix(mix) else { throw SimulatorFailure("--mix: kind=weight,… with kinds heartbeat, intrusion, fire, camera") }
        let configuration = try connection.loadConfiguration()
        let limit = min(max(duration, 1), 300)
        func wallNow() -> Timestamp { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
        let begin = wallNow()
        var panels = PanelSimulator(configuration: configuration, start: begin, seed: seed, sequenceBase: UInt64(begin.millisecondsSinceEpoch) * 1000, heartbeats: false)
        var cameras = CameraSimulator(configuration: configuration, eventLength: .seconds(5))
        let alarmDevices = Array(panels.order.prefix(max(devices, 1)))
        let cameraDevices = configuration.sites.flatMap { s in s.devices.filter { $0.kind == .camera }.map { (s.id, $0.id) } }
        let link = try connection.connect("load", listening: !backlog)
        var rng = SplitMix64(seed: seed).fork("load")

        var sentAt: [PanelSimulator.Key: [UInt64: Date]] = [:]
        var firstAlarm: [SiteID: Date] = [:]
        var dispatchedSites: Set<SiteID> = []
        var ackLatency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        var requestLatency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        var sent: [LoadMix.Kind: Int] = [:]
        var acknowledged = 0, requests = 0, incidents = Set<IncidentID>(), warnings = 0

        func handle(_ output: DaemonOutput) {
            let now = Date()
            switch output {
            case .acknowledgement(let site, let device, let sequences):
                panels.acknowledge(site: site, device: device, sequences: sequences)
                let key = PanelSimulator.Key(site: site, device: device)
                for s in sequences {
                    if let t = sentAt[key]?.removeValue(forKey: s) {
                        acknowledged += 1
                        ackLatency.record(UInt64(max(0, now.timeIntervalSince(t)) * 1_000_000))
                    }
                }
            case .guardRequest(let r):
                requests += 1
                if r.attempt == 1, !dispatchedSites.contains(r.site), let t = firstAlarm[r.site] {
                    dispatchedSites.insert(r.site)
                    requestLatency.record(UInt64(max(0, now.timeIntervalSince(t)) * 1_000_000))
                }
            case .incident(let t):
                incidents.insert(t.incident)
            case .warning:
                warnings += 1
            default:
                break
            }
        }

        /// The next message of the mix (none for a camera trigger when no camera is configured);
        /// `raised` is told which device an alarm came from.
        func nextMessages(now: Timestamp, raised: (PanelSimulator.Key) -> Void) -> [SimMessage] {
            let kind = mix.pick(&rng)
            sent[kind, default: 0] += 1
            switch kind {
            case .heartbeat:
                let key = alarmDevices[Int(rng.next() % UInt64(alarmDevices.count))]
                return [SimMessage(.heartbeat(Heartbeat(site: key.site, device: key.device, deviceTime: now)))]
            case .intrusion, .fire:
                let key = alarmDevices[Int(rng.next() % UInt64(alarmDevices.count))]
                let messages = panels.raise(site: key.site, device: key.device, eventClass: kind == .fire ? .fire : .intrusion, now: now, stamp: now)
                raised(key)
                return messages
            case .camera:
                guard !cameraDevices.isEmpty else { return [] }
                let (site, camera) = cameraDevices[Int(rng.next() % UInt64(cameraDevices.count))]
                return (try? cameras.trigger(site: site, camera: camera, label: .person, now: now, stamp: now)) ?? []
            }
        }

        let wallStart = Date()
        var total = 0
        if backlog {
            let deadline = Date(timeIntervalSinceNow: limit)
            while total < count, Date() < deadline {
                let now = wallNow()
                var batch: [SimMessage] = []
                while total < count, batch.count < 5_000 {
                    total += 1
                    batch += nextMessages(now: now) { _ in }
                }
                link.publishConfirmed(batch)
                // Bounded: at most a few batches wait in the client.
                guard link.awaitConfirmations(leaving: 20_000, until: deadline) else { break }
            }
            guard link.awaitConfirmations(until: Date(timeIntervalSinceNow: 60)) else {
                throw SimulatorFailure("the broker did not acknowledge every message within 60 s")
            }
            let seconds = Date().timeIntervalSince(wallStart)
            print("backlog: \(total) messages acknowledged by the broker in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", Double(total) / max(seconds, 0.001))) msg/s); "
                + LoadMix.Kind.allCases.map { "\($0.rawValue) \(sent[$0, default: 0])" }.joined(separator: ", "))
            return
        }
        var lastTick = Date.distantPast
        while total < count, Date().timeIntervalSince(wallStart) < limit {
            let due = min(count, Int(Date().timeIntervalSince(wallStart) * rate) + 1)
            let now = wallNow()
            var batch: [SimMessage] = []
            while total < due {
                total += 1
                batch += nextMessages(now: now) { key in
                    if let device = panels.device(site: key.site, device: key.device), device.wantsAcknowledgement {
                        sentAt[key, default: [:]][device.sequence] = Date()
                    }
                    if firstAlarm[key.site] == nil { firstAlarm[key.site] = Date() }
                }
            }
            // Retransmissions (after 20 s) and camera ends (after 5 s) need no finer steps; a
            // tick walks every device, which at a high rate would be most of this loop's work.
            if Date().timeIntervalSince(lastTick) >= 0.1 {
                lastTick = Date()
                batch += cameras.tick(now: now, stamp: now)
                batch += panels.tick(now: now, stamp: now)
            }
            link.publish(batch)
            link.outputs(until: Date(timeIntervalSinceNow: 0.005), handle)
        }
        let sendSeconds = Date().timeIntervalSince(wallStart)
        // Wait (bounded) for the acknowledgements still outstanding.
        let drainDeadline = Date(timeIntervalSinceNow: 10)
        while panels.unacknowledgedCount > 0, Date() < drainDeadline {
            link.outputs(until: Date(timeIntervalSinceNow: 0.05), handle)
            let now = wallNow()
            link.publish(panels.tick(now: now, stamp: now))
        }
        link.outputs(until: Date(timeIntervalSinceNow: 0.5), handle)

        func ms(_ h: Histogram<UInt64>, _ p: Double) -> String { String(format: "%.2f", Double(h.valueAtPercentile(p)) / 1000) }
        print("load: \(total) messages in \(String(format: "%.1f", sendSeconds)) s (\(String(format: "%.0f", Double(total) / max(sendSeconds, 0.001))) msg/s) to \(alarmDevices.count) devices; "
            + LoadMix.Kind.allCases.map { "\($0.rawValue) \(sent[$0, default: 0])" }.joined(separator: ", "))
        print("daemon: acknowledged \(acknowledged) of \(sent[.intrusion, default: 0] + sent[.fire, default: 0]) alarm events (\(panels.retransmitted) retransmissions, \(panels.unacknowledgedCount) never acknowledged); "
            + "\(incidents.count) incidents, \(requests) guard requests, \(warnings) warnings")
        if ackLatency.totalCount > 0 {
            print("alarm → acknowledgement (ms): p50 \(ms(ackLatency, 50)) p90 \(ms(ackLatency, 90)) p99 \(ms(ackLatency, 99)) max \(String(format: "%.2f", Double(ackLatency.max) / 1000)) (n=\(ackLatency.totalCount))")
        }
        if requestLatency.totalCount > 0 {
            print("alarm → guard request (ms): p50 \(ms(requestLatency, 50)) p90 \(ms(requestLatency, 90)) p99 \(ms(requestLatency, 99)) max \(String(format: "%.2f", Double(requestLatency.max) / 1000)) (n=\(requestLatency.totalCount), first alarm per site)")
        } else {
            print("alarm → guard request: no guard requests (sites open or unset now, or no unit on shift)")
        }
    }
}
