import Foundation
import PropertyWatchCore
import SimulatorKit

/// Moves a `Simulation` through its night against a running daemon: on the virtual clock
/// (each step: clock message, the step's messages, a closing clock message, then wait for the
/// daemon's clock acknowledgement) or in real time compressed by a speed factor.
struct SimulationDriver {
    let link: MQTTLink
    /// Called with each readable log line.
    var log: (String) -> Void

    /// Plays the night on the daemon's virtual clock. With `pace`, steps are spread over wall
    /// time at that many times real time (for watching); without, it runs as fast as the
    /// daemon answers.
    func runVirtual(_ sim: inout Simulation, pace: Double? = nil) throws {
        let start = sim.scenario.start
        try handshake(start, &sim)
        let wallStart = Date()
        var t = start
        while true {
            if let pace, pace > 0 {
                let due = wallStart.addingTimeInterval(Double((t - start).value) / 1000 / pace)
                let wait = due.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
            let messages = sim.advance(to: t, stamp: t)
            flushLog(&sim)
            link.publishClock(t)
            var target = t
            if !messages.isEmpty {
                link.publish(messages)
                target = t + Milliseconds(1)
                link.publishClock(target)
            }
            try link.awaitClock(target) { sim.receive($0) }
            flushLog(&sim)
            if sim.finished { break }
            t = sim.nextStep
        }
    }

    /// Plays the night with messages stamped with the wall clock (the daemon runs on real time),
    /// simulation time running `speed` times faster.
    func runRealTime(_ sim: inout Simulation, speed: Double) throws {
        let start = sim.scenario.start
        let wallStart = Date()
        func wallNow() -> Timestamp { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
        var t = start
        while true {
            let messages = sim.advance(to: t, stamp: wallNow())
            link.publish(messages)
            flushLog(&sim)
            if sim.finished { break }
            t = sim.nextStep
            let due = wallStart.addingTimeInterval(Double((t - start).value) / 1000 / max(speed, 0.001))
            link.outputs(until: due) { sim.receive($0) }
            flushLog(&sim)
        }
        // Let the daemon's last answers arrive.
        link.outputs(until: Date(timeIntervalSinceNow: 2)) { sim.receive($0) }
        flushLog(&sim)
    }

    /// Sets the daemon's clock to the start, retrying while it is still subscribing.
    private func handshake(_ start: Timestamp, _ sim: inout Simulation) throws {
        for _ in 0..<120 {
            link.publishClock(start)
            do {
                try link.awaitClock(start, timeout: 0.5) { sim.receive($0) }
                return
            } catch {
                continue
            }
        }
        throw SimulatorFailure("the daemon does not answer clock messages: is propertywatchd running with --virtual-clock on this broker?")
    }

    private func flushLog(_ sim: inout Simulation) {
        for line in sim.takeLog() { log(line) }
    }
}
