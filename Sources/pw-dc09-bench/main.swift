import Foundation
import Histogram
import Logging
import PropertyWatchDC09
import PropertyWatchMQTT
import PropertyWatchTestSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `pw-dc09-bench [--panels N] [--events M]`: N concurrent DC-09 diallers, each sending M
/// SIA-DCS events over TCP and waiting for each ACK, through the real pw-dc09, Mosquitto,
/// propertywatchd and its fsync'd journal; then the same N × M as MQTT publishers that wait
/// for the daemon's end-to-end acknowledgement (the MQTT-only path), in the same run. Prints
/// events/s and ACK latency p50/p99 for both, and their ratios. Build everything first
/// (`swift build -c release`): the daemon and the gateway are taken from next to this binary.

func say(_ text: String) { print(text) }

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let panels = option("--panels", 8)
let events = min(option("--events", 500), 9999)

struct Result {
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var seconds: Double = 0
    var failures = 0
    var rate: Double { Double(histogram.totalCount) / seconds }
}

func nowMicros() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1000 }

/// Runs `body(worker)` on `count` threads and waits for all.
func parallel(_ count: Int, _ body: @escaping @Sendable (Int) -> (Histogram<UInt64>, Int)) -> Result {
    let results = Mutex<[(Histogram<UInt64>, Int)]>([])
    let group = DispatchGroup()
    let start = nowMicros()
    for worker in 0..<count {
        group.enter()
        Thread {
            let r = body(worker)
            results.withLock { $0.append(r) }
            group.leave()
        }.start()
    }
    group.wait()
    var result = Result()
    result.seconds = Double(nowMicros() - start) / 1_000_000
    for (h, failures) in results.withLock({ $0 }) {
        result.histogram.add(h)
        result.failures += failures
    }
    return result
}

let broker = try TestBroker(persistent: false, tcpNoDelay: true)
let directory = TestEnvironment.temporaryDirectory("dc09-bench")
let tcpPort = try Loopback.freePort()
let udpPort = try Loopback.freePort()
let account = { (i: Int) in String(format: "%04X", 0x1000 + i) }
var yaml = """
    broker: {host: 127.0.0.1, port: \(broker.port), client_id: pwd-bench}
    journal: {path: \(directory.path)/journal.sqlite}
    log_level: warning
    sites:
      - id: bench
        name: Benchmark
        kind: school
        address: Bänkvägen 1
        location: {lat: 59.5, lon: 17.6}
        zones:
          - {id: a, name: A}
        devices:

    """
for i in 0..<panels { yaml += "      - {id: panel-\(i), kind: panel}\n      - {id: mqtt-\(i), kind: panel}\n" }
yaml += """
    dc09:
      tcp_listen: 127.0.0.1:\(tcpPort)
      udp_listen: 127.0.0.1:\(udpPort)
      frames_per_second_per_source: 100000
      burst_per_source: 100000
      max_connections_per_source: 10000
      accounts:

    """
for i in 0..<panels { yaml += "    - {account: \"\(account(i))\", site: bench, device: panel-\(i), allow_unencrypted: true}\n" }
let config = directory.appendingPathComponent("bench.yaml")
try yaml.write(to: config, atomically: true, encoding: .utf8)

let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
let notify = try NotifySocket()
let daemon = try ChildProcess(bin.appendingPathComponent("propertywatchd").path, ["run", "--config", config.path, "--http-port", "0"],
                              environment: ["NOTIFY_SOCKET": notify.path], logFile: directory.appendingPathComponent("daemon.log").path)
guard notify.receive()?.contains("READY=1") == true else { fatalError("propertywatchd did not get ready") }
let gateway = try ChildProcess(bin.appendingPathComponent("pw-dc09").path, ["--config", config.path, "--log-level", "info"], captureOutput: true)
var log = ""
while !(log.contains("dc09.ready") && log.contains("dc09.broker.up")) {
    guard let chunk = gateway.standardOutput?.availableData, !chunk.isEmpty else { fatalError("pw-dc09 ended:\n\(log)") }
    log += String(decoding: chunk, as: UTF8.self)
}
Thread { while let c = gateway.standardOutput?.availableData, !c.isEmpty {} }.start()
say("pw-dc09-bench: \(panels) diallers × \(events) events; gateway, Mosquitto, propertywatchd (journal synchronous=FULL) on loopback")

// DC-09: one TCP connection per dialler, one frame at a time, each waiting for its ACK.
let dc09 = parallel(panels) { worker in
    var h = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var failures = 0
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(tcpPort).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard connected == 0 else { return (h, events) }
    var timeout = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let acct = account(worker)
    var buffer = [UInt8](repeating: 0, count: 4096)
    for seq in 1...events {
        let frame = DC09Reply.wrap(Array("\"SIA-DCS\"\(String(format: "%04d", seq))R1L1#\(acct)[#\(acct)|NRP]".utf8))
        let start = nowMicros()
        _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply: [UInt8] = []
        while !reply.contains(0x0D) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            reply += buffer[0..<n]
        }
        if String(decoding: reply, as: UTF8.self).contains("\"ACK\"") {
            _ = h.record(nowMicros() - start)
        } else {
            failures += 1
        }
    }
    close(fd)
    return (h, failures)
}

// MQTT only: the same events as our JSON, each waiting for the daemon's end-to-end acknowledgement.
// Connected and subscribed before the clock starts, as the DC-09 diallers' connections are cheap.
let subscribers = try (0..<panels).map { try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/bench/acks/mqtt-\($0)"]) }
let mqtt = parallel(panels) { worker in
    var h = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var failures = 0
    let subscriber = subscribers[worker]
    for seq in 1...events {
        let payload = #"{"v":1,"device":"mqtt-\#(worker)","sia":"RP","seq":\#(seq),"id":"m-\#(worker)-\#(seq)","time":\#(Int64(Date().timeIntervalSince1970 * 1000))}"#
        let start = nowMicros()
        subscriber.client.publish(topic: "propertywatch/v1/sites/bench/alarms/mqtt-\(worker)", payload: Array(payload.utf8), qos: 1)
        var acked = false
        while !acked, let ack = subscriber.next(timeout: 15) {
            acked = DC09Acknowledgement.parse(topic: ack.topic, payload: Array(ack.payload.utf8))?.sequences.contains(UInt64(seq)) == true
        }
        if acked { _ = h.record(nowMicros() - start) } else { failures += 1 }
    }
    return (h, failures)
}

func ms(_ micros: UInt64) -> String { String(format: "%.2f", Double(micros) / 1000) }
func line(_ name: String, _ r: Result) -> String {
    "\(name): \(r.histogram.totalCount) ACKed, \(r.failures) failed, \(String(format: "%.0f", r.rate)) events/s, ACK p50=\(ms(r.histogram.valueAtPercentile(50))) p99=\(ms(r.histogram.valueAtPercentile(99))) ms"
}
say(line("DC-09 via pw-dc09 ", dc09))
say(line("MQTT only (our JSON)", mqtt))
say(String(format: "ratio DC-09 / MQTT-only: throughput %.2f×, p50 %.2f×, p99 %.2f×", dc09.rate / mqtt.rate,
           Double(dc09.histogram.valueAtPercentile(50)) / Double(max(1, mqtt.histogram.valueAtPercentile(50))),
           Double(dc09.histogram.valueAtPercentile(99)) / Double(max(1, mqtt.histogram.valueAtPercentile(99)))))
_ = gateway.terminate()
_ = daemon.terminate()
