import Testing
@testable import PropertyWatchCore

@Suite struct DeduplicationTests {
    @Test func sameEventIDOrSequenceHasNoEffect() {
        var engine = Fixture.engine()
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 7), now: Fixture.t0).dispatched.count == 1)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 7), now: Fixture.sec(1)).effects.isEmpty)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 8, id: "pir-1-7"), now: Fixture.sec(2)).effects.isEmpty)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 7, id: "other"), now: Fixture.sec(3)).effects.isEmpty)
        #expect(engine.counters.duplicates == 3)
        // The same id from another device is not a duplicate.
        #expect(!engine.handle(Fixture.alarm("pir-2", seq: 7, id: "pir-1-7"), now: Fixture.sec(4)).isEmpty)
    }

    struct Case: Sendable, CustomStringConvertible {
        var sequences: [UInt64]
        var gaps: Int
        var resets: Int
        var late: Int
        var duplicates: Int
        var description: String { "\(sequences)" }
    }

    @Test(arguments: [
        Case(sequences: [1, 2, 3, 4], gaps: 0, resets: 0, late: 0, duplicates: 0),
        Case(sequences: [1, 2, 5, 6], gaps: 1, resets: 0, late: 0, duplicates: 0),
        Case(sequences: [500, 501, 1, 2, 3], gaps: 0, resets: 1, late: 0, duplicates: 0),   // reboot
        Case(sequences: [500, 501, 0, 1, 2], gaps: 0, resets: 1, late: 0, duplicates: 0),   // reboot to 0
        Case(sequences: [500, 501, 300, 301], gaps: 0, resets: 0, late: 0, duplicates: 2),  // older than the window: redeliveries
        Case(sequences: [500, 501, 438], gaps: 0, resets: 0, late: 1, duplicates: 0),       // inside the window, never seen: late
        Case(sequences: [500, 501, 437], gaps: 0, resets: 0, late: 0, duplicates: 1),       // just outside it
        Case(sequences: Array(10...20) + [12], gaps: 0, resets: 0, late: 0, duplicates: 1), // seen, beyond the id memory
        Case(sequences: [9998, 9999, 1, 2], gaps: 0, resets: 0, late: 0, duplicates: 0),    // DC-09 wrap 9999 → 0001
        Case(sequences: [9998, 2], gaps: 1, resets: 0, late: 0, duplicates: 0),             // 9999 and 0001 lost across the wrap
        Case(sequences: [9999, 2, 1], gaps: 1, resets: 0, late: 1, duplicates: 0),          // 0001 late, after the wrap
        Case(sequences: [2, 9999], gaps: 0, resets: 0, late: 1, duplicates: 0),             // 9999 late, from before the wrap
        Case(sequences: [10, 12, 11, 13], gaps: 1, resets: 0, late: 1, duplicates: 0),      // reordered
        Case(sequences: [10, 11, 10], gaps: 0, resets: 0, late: 0, duplicates: 1),
        Case(sequences: [1], gaps: 0, resets: 0, late: 0, duplicates: 0),
    ])
    func sequenceRules(_ c: Case) {
        var engine = Fixture.engine()
        var warnings: [String] = []
        for (i, seq) in c.sequences.enumerated() {
            // Distinct ids, so only the sequence decides.
            warnings += engine.handle(Fixture.alarm("panel", .test, seq: seq, id: "e\(i)"), now: Fixture.sec(Int64(i))).warningCodes
        }
        #expect(warnings == Array(repeating: "possible-lost-events", count: c.gaps))
        #expect(engine.counters.sequenceGaps == c.gaps)
        #expect(engine.counters.sequenceResets == c.resets)
        #expect(engine.counters.lateEvents == c.late)
        #expect(engine.counters.duplicates == c.duplicates)
    }

    /// A multi-event SIA DC-09 frame: its events share the frame's number as parts 1, 2, 3.
    /// Each part is admitted once; a retransmitted frame is a duplicate part by part, even
    /// when its ids are new or long forgotten; the next frame goes on as usual.
    @Test func partsOfOneFrameAreEachAdmittedOnce() {
        var engine = Fixture.engine()
        var admitted: [String] = []
        func send(_ seq: UInt64, part: UInt8, id: String, at s: Int64) {
            let actions = engine.handle(Fixture.alarm("panel", .test, seq: seq, id: id, part: part), now: Fixture.sec(s))
            if !actions.verdicts.contains(.duplicate) { admitted.append(id) }
        }
        send(41, part: 1, id: "f41-1", at: 0)
        send(42, part: 1, id: "f42-1", at: 1)
        send(42, part: 2, id: "f42-2", at: 1)
        send(42, part: 3, id: "f42-3", at: 1)
        // The whole frame again (the panel missed the ACK), with the same ids, then new ones.
        send(42, part: 1, id: "f42-1", at: 2)
        send(42, part: 2, id: "f42-2", at: 2)
        send(42, part: 3, id: "other-3", at: 2)
        send(42, part: 2, id: "other-2", at: 2)
        send(43, part: 1, id: "f43-1", at: 3)
        send(43, part: 2, id: "f43-2", at: 3)
        #expect(admitted == ["f41-1", "f42-1", "f42-2", "f42-3", "f43-1", "f43-2"])
        #expect(engine.counters.duplicates == 4)
        #expect(engine.counters.sequenceGaps == 0)
        // A frame whose first part was lost starts with its second: admitted, no gap beyond it.
        send(44, part: 2, id: "f44-2", at: 4)
        send(44, part: 3, id: "f44-3", at: 4)
        #expect(admitted.suffix(2) == ["f44-2", "f44-3"])
    }

    @Test func gapWarningNamesTheJump() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.alarm("panel", .test, seq: 4), now: Fixture.t0)
        let actions = engine.handle(Fixture.alarm("panel", .test, seq: 9), now: Fixture.sec(1))
        #expect(actions.warnings.map(\.message) == ["panel: sequence jumped from 4 to 9, 4 event(s) possibly lost: 5, 6, 7, 8"])
        // A technical incident names the missing numbers; a second gap joins it.
        #expect(actions.transitions.map(\.kind) == [.sequenceGap])
        #expect(actions.transitions.first?.cause == "sequence gap at panel: missing 5, 6, 7, 8")
        let again = engine.handle(Fixture.alarm("panel", .test, seq: 12), now: Fixture.sec(2))
        #expect(again.transitions.isEmpty)
        #expect(engine.openIncidents.map(\.kind) == [.sequenceGap])
        #expect(engine.openIncidents.first?.triggers.last == "sequence gap at panel: missing 10, 11")
    }

    @Test func cameraTriggersDeduplicateByEventID() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.camera("cam-1", id: "f1"), now: Fixture.t0)
        _ = engine.handle(Fixture.camera("cam-1", id: "f1"), now: Fixture.sec(1))
        #expect(engine.counters.duplicates == 1)
    }
}
