import PropertyWatchMQTT
import Testing

/// `PublishWindow` without a broker: the in-flight window, the QoS 0 drop policy, requeueing
/// on a lost connection and acknowledgements under wrapped message ids.
@Suite struct PublishWindowTests {
    private func reliable(_ n: Int, token: Int64? = nil) -> PublishWindow.Message {
        .init(topic: "units/u\(n)/requests", payload: Array("r\(n)".utf8), qos: 1, retain: false, token: token ?? Int64(n))
    }

    private func bestEffort(_ n: Int) -> PublishWindow.Message {
        .init(topic: "devices/d\(n)/ack", payload: Array("a\(n)".utf8), qos: 0, retain: false)
    }

    @Test func qos1WaitsForRoomInTheWindow() {
        var w = PublishWindow(maxInflight: 2, maxQueuedBestEffort: 10)
        for n in 1...5 { #expect(w.enqueue(reliable(n)) == .queued) }
        let first = w.takeSendable()
        #expect(first.map(\.token) == [1, 2])
        for (i, m) in first.enumerated() { #expect(w.sent(m, id: Int32(i + 1)) == nil) }
        #expect(w.inflight == 2)
        #expect(w.takeSendable().isEmpty, "the window is full")
        #expect(w.acknowledged(id: 1) == 1)
        #expect(w.takeSendable().map(\.token) == [3], "one place freed, one publish")
        #expect(w.queuedReliable == 2)
    }

    @Test func qos0IsNotHeldBackByAFullWindow() {
        var w = PublishWindow(maxInflight: 1, maxQueuedBestEffort: 10)
        _ = w.enqueue(reliable(1))
        _ = w.sent(w.takeSendable()[0], id: 1)
        _ = w.enqueue(reliable(2))
        _ = w.enqueue(bestEffort(1))
        let taken = w.takeSendable()
        #expect(taken.map(\.qos) == [0], "the device ack goes out; the QoS 1 publish waits")
        #expect(w.queuedReliable == 1)
    }

    /// The drop policy: past the limit the oldest QoS 0 publish goes, never a QoS 1 one.
    @Test(arguments: [
        (limit: 3, queued: 3, dropped: 0),
        (limit: 3, queued: 4, dropped: 1),
        (limit: 3, queued: 10, dropped: 7),
        (limit: 0, queued: 2, dropped: 2),
    ])
    func bestEffortDropsTheOldest(limit: Int, queued: Int, dropped: Int) {
        var w = PublishWindow(maxInflight: 4, maxQueuedBestEffort: limit)
        var results: [PublishWindow.Enqueued] = []
        for n in 1...queued { results.append(w.enqueue(bestEffort(n))) }
        for n in 1...3 { _ = w.enqueue(reliable(n)) }
        #expect(w.dropped == dropped)
        #expect(results.filter { $0 != .queued }.count == dropped)
        if dropped > 0 { #expect(results.last == .droppedOldest(total: dropped)) }
        let sent = w.takeSendable()
        let kept = sent.filter { $0.qos == 0 }.map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(kept == Array((1...queued).map { "a\($0)" }.suffix(limit)), "the newest stay")
        #expect(sent.filter { $0.qos == 1 }.count == 3, "QoS 1 is never dropped")
    }

    @Test func qos0TokenIsConfirmedWhenSent() {
        var w = PublishWindow(maxInflight: 1, maxQueuedBestEffort: 4)
        var m = bestEffort(1)
        m.token = 42
        _ = w.enqueue(m)
        #expect(w.sent(w.takeSendable()[0], id: 7) == 42)
        #expect(w.inflight == 0, "QoS 0 takes no place in the window")
        #expect(w.acknowledged(id: 7) == nil, "its publish callback changes nothing")
    }

    /// Message ids wrap at 65,535: two publishes in flight under one id are confirmed in the
    /// order they were sent, one per acknowledgement.
    @Test(arguments: [1, 2, 5])
    func wrappedIdsConfirmInSendOrder(sharing: Int) {
        var w = PublishWindow(maxInflight: 100, maxQueuedBestEffort: 4)
        for n in 1...sharing { _ = w.enqueue(reliable(n, token: Int64(100 + n))) }
        for m in w.takeSendable() { _ = w.sent(m, id: 65_535) }
        #expect(w.inflight == sharing)
        var confirmed: [Int64] = []
        for _ in 1...sharing { confirmed += [w.acknowledged(id: 65_535)].compactMap { $0 } }
        #expect(confirmed == (1...sharing).map { Int64(100 + $0) })
        #expect(w.inflight == 0)
        #expect(w.acknowledged(id: 65_535) == nil, "nothing left under that id")
        #expect(w.inflight == 0, "an unknown acknowledgement does not free a place twice")
    }

    @Test func idsAcrossTheWrapAreIndependent() {
        var w = PublishWindow(maxInflight: 10, maxQueuedBestEffort: 4)
        for n in 1...3 { _ = w.enqueue(reliable(n)) }
        let ids: [Int32] = [65_534, 65_535, 1]
        for (m, id) in zip(w.takeSendable(), ids) { _ = w.sent(m, id: id) }
        #expect(w.acknowledged(id: 1) == 3)
        #expect(w.acknowledged(id: 65_534) == 1)
        #expect(w.acknowledged(id: 65_535) == 2)
        #expect(w.inflight == 0)
    }

    @Test func aLostConnectionRequeuesInOrder() {
        var w = PublishWindow(maxInflight: 10, maxQueuedBestEffort: 4)
        for n in 1...3 { _ = w.enqueue(reliable(n)) }
        let taken = w.takeSendable()
        _ = w.sent(taken[0], id: 1)
        // The second fails with the connection gone: it and the third go back, in order,
        // ahead of one queued meanwhile, with a QoS 0 one in its own queue.
        _ = w.enqueue(reliable(4))
        w.requeue([taken[1], bestEffort(9), taken[2]])
        #expect(w.queuedReliable == 3)
        let again = w.takeSendable()
        #expect(again.map(\.token) == [nil, 2, 3, 4])
    }

    @Test func withdrawTakesBackOnlyWhatWaits() {
        var w = PublishWindow(maxInflight: 1, maxQueuedBestEffort: 4)
        for n in 1...3 { _ = w.enqueue(reliable(n)) }
        _ = w.enqueue(bestEffort(1))
        let sent = w.takeSendable()
        for m in sent where m.qos == 1 { _ = w.sent(m, id: 1) }
        #expect(w.withdrawReliable().map(\.token) == [2, 3], "the one in flight stays with libmosquitto")
        #expect(w.queuedReliable == 0)
        #expect(w.acknowledged(id: 1) == 1)
    }
}
