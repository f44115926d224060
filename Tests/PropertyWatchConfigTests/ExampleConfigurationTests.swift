import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import Testing

@Suite struct ExampleConfigurationTests {
    /// `deploy/config/upplands-bro.yaml`, found from this file's path.
    static let examplePath: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PropertyWatchConfigTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("deploy/config/upplands-bro.yaml").path

    private func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Timestamp {
        StockholmTime.resolve(LocalDate(year: y, month: mo, day: d), LocalTime(hour: h, minute: mi))
    }

    @Test func exampleHasNoProblemsAtAll() {
        let report = ConfigurationLoader.read(path: Self.examplePath)
        #expect(report.problems.isEmpty, "\(report.problems.map(\.description).joined(separator: "\n"))")
        #expect(report.configuration != nil)
    }

    @Test func exampleLoads() throws {
        let configuration = try ConfigurationLoader.load(path: Self.examplePath)
        let daemon = configuration.daemon
        #expect(daemon.broker.host == "127.0.0.1" && daemon.broker.port == 1883)
        #expect(daemon.journal.path == "run/journal.sqlite")
        #expect(daemon.logLevel == "info")
        let watch = configuration.watch
        #expect(watch.sites.count == 13)
        #expect(Set(watch.sites.map(\.kind)) == [.civic, .office, .school, .preschool])
        let directory = SiteDirectory(watch)
        let brohuset = try #require(directory.site("brohuset"))
        #expect(brohuset.devices.filter { $0.kind == .camera }.count == 3)
        #expect(brohuset.device("cam-torget")?.cameraZones == ["torget"])
        #expect(brohuset.device("panel")?.heartbeatSeconds == 60)
        #expect(directory.unit("P1")?.callSign == "Väktare 31")
        #expect(watch.patrol.shifts.count == 3)
        #expect(watch.patrol.routes.map(\.id) == ["p1-bro-evening", "p1-kungsangen-night", "p2-centre-night"])
        #expect(watch.patrol.escalation.centralWebhookURL?.hasPrefix("http://127.0.0.1") == true)
        for site in watch.sites {
            #expect((59.4...59.6).contains(site.location.latitude) && (17.5...17.9).contains(site.location.longitude))
        }
    }

    @Test func exampleSchedulesBehave() throws {
        let watch = try ConfigurationLoader.load(path: Self.examplePath).watch
        let directory = SiteDirectory(watch)
        let site = try #require(directory.site("broskolan"))
        let broskolan = site.schedule
        #expect(broskolan.isOpen(at: local(2026, 12, 1, 10)))       // Tuesday school day
        #expect(!broskolan.isOpen(at: local(2026, 12, 1, 19)))      // the school is closed on Tuesday evening…
        let hall = try #require(site.partitions.first { $0.id == "idrottshall" }?.schedule)
        #expect(hall.isOpen(at: local(2026, 12, 1, 19)))            // …while its sports hall is let
        #expect(hall.isOpen(at: local(2026, 12, 1, 10)))            // and open with the school by day
        #expect(!hall.isOpen(at: local(2026, 12, 2, 19)))           // not let on Wednesdays
        #expect(site.zone("idrottshall")?.partition == "idrottshall")
        #expect(site.users.count == 5)
        #expect(!broskolan.isOpen(at: local(2026, 12, 2, 19)))      // Wednesday evening
        #expect(!broskolan.isOpen(at: local(2026, 10, 27, 10)))     // höstlov
        #expect(broskolan.isOpen(at: local(2027, 3, 25, 10)))       // Thursday before påsklov
        #expect(!broskolan.isOpen(at: local(2027, 3, 26, 10)))      // Långfredagen
        #expect(!broskolan.isOpen(at: local(2027, 5, 6, 10)))       // Kristi himmelfärd 2027
        #expect(broskolan.armDeadline(after: local(2026, 12, 3, 12)) == local(2026, 12, 3, 19))
        let preschool = try #require(directory.site("almarevagens-forskola")).schedule
        #expect(preschool.isOpen(at: local(2026, 10, 27, 10)))      // preschools stay open on höstlov
        let p2 = watch.patrol.shifts.filter { $0.units.contains("P2") }
        #expect(p2.contains { $0.isOnDuty(at: local(2026, 12, 4, 21)) })   // Friday 21:00
        #expect(!p2.contains { $0.isOnDuty(at: local(2026, 12, 3, 21)) })  // Thursday 21:00
        #expect(p2.contains { $0.isOnDuty(at: local(2026, 12, 3, 23, 30)) })
    }
}
