import Foundation
import PropertyWatchProcess
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two real daemons of one pair on a real Mosquitto: takeover after kill -9, both started at
/// once, a partition between the active and the broker, a rolling restart.
///
/// Time bounds here only bound failure: the takeover assertion allows the configured silence
/// plus a generous margin, and prints what was measured.
@Suite("active/standby pair", .serialized)
struct StandbyPairTests {
    static let margin = 6.0

    @Test func killNineOfTheActiveUnderLoadTakesOverLosesNothingAndDuplicatesNothing() throws {
        let pair = try StandbyPairFixture()
        let recorder = try PairRecorder(pair)
        let a = try pair.start("a")
        let active = try #require(recorder.waitForActive("a"))
        let b = try pair.start("b")
        defer {
            _ = a.terminate(SIGKILL)
            _ = b.terminate()
        }
        // b is up and standby once it reports itself.
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" } != nil)
        #expect(active == "a")

        // Load: repeated fire alarms from the first half of the sites, then kill mid-stream.
        let publisher = try TestPublisher(port: pair.broker.port)
        let before = Array(StandbyPairFixture.sites.prefix(4))
        let after = Array(StandbyPairFixture.sites.suffix(4))
        let perSite = 150
        for seq in 1...perSite {
            for site in before {
                let (topic, payload) = StandbyPairFixture.fire(site: site, seq: seq)
                publisher.client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
            }
        }
        // Kill once acknowledgements and guard requests are flowing.
        recorder.wait { _ in recorder.acknowledged.count >= 100 && !recorder.requests.isEmpty }
        let killedAt = Date()
        a.send(SIGKILL)
        #expect(a.waitForExit() == 128 + SIGKILL)

        let took = try #require(recorder.waitForActive("b", timeout: pair.silenceSeconds + Self.margin))
        #expect(took == "b")
        let takeover = Date().timeIntervalSince(killedAt)
        print("standby.takeover seconds=\(String(format: "%.3f", takeover)) silence=\(pair.silenceSeconds) bound=\(pair.silenceSeconds + Self.margin)")

        // New incidents at the other sites: only b can dispatch them.
        for site in after {
            let (topic, payload) = StandbyPairFixture.fire(site: site, seq: 1)
            #expect(publisher.publish(topic, payload))
        }
        // Every site's incident goes on: each gets its guard request.
        let allSites = Set(StandbyPairFixture.sites)
        recorder.wait { _ in recorder.dispatchedSites == allSites }
        #expect(recorder.dispatchedSites == allSites, "sites without a guard request: \(allSites.subtracting(recorder.dispatchedSites).sorted())")
        // The last event of the load is acknowledged (by b), so everything before it is in b's journal.
        let last = "\(before.last!):\(perSite)"
        recorder.wait { _ in recorder.acknowledged.contains(last) }
        #expect(recorder.acknowledged.contains(last))
        // An incident opened before the kill goes on under b: its unit accepts, b records it.
        let first = try #require(recorder.requests.first { before.contains($0.object["site"] as? String ?? "") })
        let incident = try #require(first.object["incident"] as? String)
        let unit = try #require(first.object["unit"] as? String)
        let reply = #"{"v":1,"unit":"\#(unit)","incident":"\#(incident)","request":"\#(first.object["request"] as? String ?? "")","kind":"accepted","time":\#(Int64(Date().timeIntervalSince1970 * 1000))}"#
        #expect(publisher.publish("propertywatch/v1/units/\(unit)/replies", reply))
        let accepted = recorder.wait { 
            $0.topic == "propertywatch/v1/incidents/\(incident)" && !["new", "dispatched"].contains($0.object["to"] as? String ?? "new")
        }
        #expect(accepted != nil, "no accepted transition for \(incident) after the takeover")

        recorder.settle(pair.silenceSeconds)
        let duplicates = recorder.requestCounts.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "duplicate guard requests: \(duplicates)")
        let journaled = try pair.journaledSequences("b")
        let lost = recorder.acknowledged.subtracting(journaled)
        #expect(lost.isEmpty, "acknowledged but not in the standby's journal: \(lost.sorted().prefix(10))")
        print("standby.kill9 acknowledged=\(recorder.acknowledged.count) lost=\(lost.count) requests=\(recorder.requests.count) duplicates=\(duplicates.count)")
    }

    @Test(arguments: 1...3)
    func bothStartedAtOnceExactlyOneBecomesLeader(run: Int) throws {
        let pair = try StandbyPairFixture(persistent: false)
        let recorder = try PairRecorder(pair)
        let a = try pair.start("a")
        let b = try pair.start("b")
        defer {
            _ = a.terminate()
            _ = b.terminate()
        }
        let first = try #require(recorder.waitForActive())
        // Two silences of presence and lease records: the leader never changes, the other stays standby.
        recorder.settle(2 * pair.silenceSeconds)
        #expect(recorder.activeNodes == [first], "run \(run): more than one node was active: \(recorder.activeNodes)")
        let other = first == "a" ? "b" : "a"
        #expect(recorder.messages.contains { $0.topic.hasSuffix("/nodes/\(other)") && $0.object["role"] as? String == "standby" })
        let leaders = Set(recorder.messages.filter { $0.topic == pair.leaderTopic && $0.object["released"] as? Bool != true }
            .filter { ($0.object["term"] as? Int ?? 0) > 0 }.suffix(3).compactMap { $0.object["node"] as? String })
        #expect(leaders == [first])
    }

    @Test func aPartitionBetweenTheActiveAndTheBrokerFencesIt() throws {
        let pair = try StandbyPairFixture()
        let recorder = try PairRecorder(pair)
        let proxy = try ChildProcess(
            "/usr/bin/env", ["python3", TestEnvironment.repositoryRoot.appendingPathComponent("Tests/PropertyWatchStandbyTests/tcp_proxy.py").path, "\(pair.broker.port)"],
            captureOutput: true)
        defer { _ = proxy.terminate(SIGKILL) }
        let portLine = String(decoding: proxy.standardOutput!.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let proxyPort = try #require(Int32(portLine))
        // a reaches the broker only through the proxy.
        let a = try pair.start("a", port: proxyPort)
        #expect(recorder.waitForActive("a") == "a")
        let b = try pair.start("b")
        defer {
            _ = a.terminate(SIGKILL)
            _ = b.terminate()
        }
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" } != nil)
        let publisher = try TestPublisher(port: pair.broker.port)
        let (topic, payload) = StandbyPairFixture.fire(site: "skola-1", seq: 1)
        #expect(publisher.publish(topic, payload))
        #expect(recorder.wait { $0.topic.hasSuffix("/requests") && $0.object["site"] as? String == "skola-1" } != nil)

        // Cut the link: a half-open partition (nothing is closed, nothing gets through).
        let cutAt = Date()
        proxy.send(SIGSTOP)
        #expect(recorder.waitForActive("b", timeout: pair.silenceSeconds + Self.margin) == "b")
        print("standby.partition takeover seconds=\(String(format: "%.3f", Date().timeIntervalSince(cutAt)))")
        // Alarms during the partition: b dispatches them.
        for site in ["skola-2", "skola-3"] {
            let (topic, payload) = StandbyPairFixture.fire(site: site, seq: 1)
            #expect(publisher.publish(topic, payload))
        }
        recorder.wait { _ in recorder.dispatchedSites.isSuperset(of: ["skola-2", "skola-3"]) }
        #expect(recorder.dispatchedSites.isSuperset(of: ["skola-2", "skola-3"]))

        // a has fenced itself (its log says so), and after the link heals it stays standby
        // and publishes no second copy of anything.
        let log = try String(contentsOfFile: pair.log("a"), encoding: .utf8)
        #expect(log.contains("ha.fenced"), "a did not fence itself")
        proxy.send(SIGCONT)
        recorder.wait(timeout: 3 * pair.silenceSeconds + Self.margin) {
            $0.topic.hasSuffix("/nodes/a") && $0.object["role"] as? String == "standby"
        }
        recorder.settle(pair.silenceSeconds)
        #expect(recorder.messages.contains { $0.topic.hasSuffix("/nodes/a") && $0.object["role"] as? String == "standby" })
        // By the times the nodes stamped their presence (a's stale announcements from before
        // the cut arrive only after the heal): a never said it was active once b was.
        func stamps(_ node: String, _ role: String) -> [Int] {
            recorder.messages.filter { $0.topic.hasSuffix("/nodes/\(node)") && $0.object["role"] as? String == role }.compactMap { $0.object["time"] as? Int }
        }
        let bActiveSince = try #require(stamps("b", "active").min())
        #expect(stamps("a", "active").allSatisfy { $0 < bActiveSince }, "a announced itself active after b took over")
        let duplicates = recorder.requestCounts.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "duplicate guard requests: \(duplicates)")
    }

    @Test func aRollingRestartOfBothLeavesNoGapInDispatching() throws {
        let pair = try StandbyPairFixture()
        let recorder = try PairRecorder(pair)
        var a = try pair.start("a")
        #expect(recorder.waitForActive("a") == "a")
        var b = try pair.start("b")
        defer {
            _ = a.terminate()
            _ = b.terminate()
        }
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" } != nil)
        let publisher = try TestPublisher(port: pair.broker.port)
        var latencies: [Double] = []
        /// Fires at `site` right away and waits for its guard request.
        func dispatch(_ site: String) {
            let (topic, payload) = StandbyPairFixture.fire(site: site, seq: 1)
            let sent = Date()
            #expect(publisher.publish(topic, payload))
            let request = recorder.wait(timeout: pair.silenceSeconds + Self.margin) {
                $0.topic.hasSuffix("/requests") && $0.object["site"] as? String == site
            }
            #expect(request != nil, "no guard request for \(site)")
            latencies.append(Date().timeIntervalSince(sent))
        }
        dispatch("skola-1")
        // Restart a (the active): an alarm while it stops is dispatched by b.
        a.send(SIGTERM)
        dispatch("skola-2")
        #expect(a.waitForExit() == 0)
        a = try pair.start("a")
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/a") && $0.object["role"] as? String == "standby" } != nil)
        dispatch("skola-3")
        // Restart b (now the active): a takes over.
        b.send(SIGTERM)
        dispatch("skola-4")
        #expect(b.waitForExit() == 0)
        b = try pair.start("b")
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" } != nil)
        dispatch("skola-5")
        recorder.settle(pair.silenceSeconds)
        let duplicates = recorder.requestCounts.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "duplicate guard requests: \(duplicates)")
        #expect(recorder.dispatchedSites == Set((1...5).map { "skola-\($0)" }))
        print("standby.rolling dispatch seconds=\(latencies.map { String(format: "%.3f", $0) }.joined(separator: ","))")
    }
}
