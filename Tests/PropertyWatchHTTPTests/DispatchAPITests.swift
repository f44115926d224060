import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import Testing

/// The dispatch side in the operator API: each unit's plan for tonight, and the times that
/// matter on incidents; over real HTTP and a real journal.
@Suite struct DispatchAPITests {
    let fixture: APIFixture

    init() throws { fixture = try APIFixture() }

    func app() throws -> some ApplicationProtocol {
        try OperatorAPI.application(backend: fixture.backend, host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
    }

    func plan(_ unit: UnitID, version: Int, status: StopStatus) -> UnitPlan {
        let t = APIFixture.now
        return UnitPlan(
            unit: unit, night: StockholmTime.local(t).date, version: version,
            stops: [PlannedStop(id: "r#0", site: "broskolan", windowStart: t, windowEnd: t + .minutes(30), dwell: .minutes(10), status: status)],
            siteNames: ["broskolan": "Broskolan"], reason: "r#0 \(status.rawValue)", time: t)
    }

    @Test func planIsEachUnitsLatestPublishedPlan() async throws {
        try fixture.pipeline.journal.commit { tx in
            for p in [plan("P1", version: 1, status: .pending), plan("P2", version: 1, status: .pending), plan("P1", version: 2, status: .missed)] {
                _ = try tx.insertOutbox(
                    key: "plan:\(p.unit):\(p.night):\(p.version)", kind: "plan", topic: Topic.unitPlan(unit: p.unit),
                    payload: MessageEncoder.unitPlan(p), createdAt: p.time.millisecondsSinceEpoch)
            }
        }
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/plan", method: .get) { response in
                #expect(response.status == .ok)
                let list = try JSONDecoder().decode(PlanList.self, from: Data(response.body.readableBytesView))
                #expect(list.plans.map(\.unit) == ["P1", "P2"])
                #expect(list.plans.map(\.version) == [2, 1])
                #expect(list.plans.first?.stops.map(\.status) == ["missed"])
                #expect(list.plans.first?.stops.first?.siteName == "Broskolan")
            }
        }
    }

    @Test func incidentsCarryTheirTimes() async throws {
        let t = APIFixture.now
        let times = IncidentTimes(alarm: t, requested: t + .seconds(5), accepted: t + .seconds(30), onSite: t + .minutes(9), cleared: t + .minutes(30))
        try fixture.pipeline.journal.commit { tx in
            try tx.record(IncidentTransition(incident: "2026-11-27-0001", site: "broskolan", from: nil, to: .new, priority: .fire, cause: "fire", time: t))
            try tx.record(IncidentTransition(
                incident: "2026-11-27-0001", site: "broskolan", from: .onSite, to: .cleared, priority: .fire, cause: "P1 cleared",
                time: t + .minutes(30), sequence: 2, times: times))
        }
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/incidents/2026-11-27-0001", method: .get) { response in
                let detail = try JSONDecoder().decode(IncidentDetail.self, from: Data(response.body.readableBytesView))
                let recorded = try #require(detail.incident.times)
                #expect(recorded.alarm == t.millisecondsSinceEpoch)
                #expect(recorded.onSite == (t + .minutes(9)).millisecondsSinceEpoch)
                #expect(recorded.responseTime == Int64(9 * 60_000))
                #expect(recorded.handlingTime == Int64(21 * 60_000))
                #expect(recorded.verified == nil)
            }
        }
    }
}
