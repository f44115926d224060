import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import Yams

/// A minimal YAML reader for the walking skeleton; replaced by `ConfigurationLoader`.
enum InterimConfigLoader {
    private struct File: Decodable {
        struct Broker: Decodable { var host: String?; var port: Int?; var client_id: String? }
        struct JournalSection: Decodable { var path: String? }
        struct Location: Decodable { var lat: Double; var lon: Double }
        struct Device: Decodable { var id: String; var kind: String; var zone: String? }
        struct Site: Decodable {
            var id: String; var name: String; var kind: String; var address: String
            var location: Location; var devices: [Device]?
        }
        struct Unit: Decodable { var id: String; var call_sign: String }
        struct Patrol: Decodable { var units: [Unit]? }
        var broker: Broker?
        var journal: JournalSection?
        var log_level: String?
        var sites: [Site]?
        var patrol: Patrol?
    }

    static func load(path: String) throws -> PropertyWatchConfiguration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(file: path, reason: "cannot read the file")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw ConfigurationError(file: path, reason: "\(error)")
        }
        var daemon = DaemonSettings()
        if let b = file.broker {
            daemon.broker.host = b.host ?? daemon.broker.host
            daemon.broker.port = b.port ?? daemon.broker.port
            daemon.broker.clientID = b.client_id ?? daemon.broker.clientID
        }
        if let p = file.journal?.path { daemon.journal.path = p }
        if let l = file.log_level { daemon.logLevel = l }
        let sites = (file.sites ?? []).map { s in
            SiteConfiguration(
                id: SiteID(s.id), name: s.name, kind: SiteKind(rawValue: s.kind) ?? .other, address: s.address,
                location: Coordinate(latitude: s.location.lat, longitude: s.location.lon),
                devices: (s.devices ?? []).map { d in
                    DeviceConfiguration(id: DeviceID(d.id), kind: DeviceKind(rawValue: d.kind) ?? .other, zone: d.zone.map(ZoneID.init))
                })
        }
        let units = (file.patrol?.units ?? []).map { UnitConfiguration(id: UnitID($0.id), callSign: $0.call_sign) }
        return PropertyWatchConfiguration(daemon: daemon, watch: WatchConfiguration(sites: sites, patrol: PatrolConfiguration(units: units)))
    }
}
