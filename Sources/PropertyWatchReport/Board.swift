import PropertyWatchCore

/// What the live dashboard shows, as one value: the alarm queue, the map's sites, units and
/// routes, and recent warnings. Built by `Board.make` from the journal's records (pure).
public struct Board: Sendable, Codable, Equatable {
    public var now: Int64
    public var night: String
    public var timeZone = "Europe/Stockholm"
    /// An XYZ tile URL template for installations that have a tile server; nil draws the
    /// map from the sites' coordinates alone.
    public var tileURL: String?
    public var sites: [Site]
    /// Open incidents, most urgent first, then oldest first.
    public var incidents: [QueuedIncident]
    public var units: [Unit]
    public var visits: [NightReport.Visit]
    public var warnings: [NightRecords.Warning]

    /// A site on the map.
    public struct Site: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var kind: String
        public var latitude: Double
        public var longitude: Double
        public var openIncidents: Int
        public var worstPriority: String?
        /// Devices or links reported silent and not yet back.
        public var supervisionFaults: [String]
        /// Whether every partition is set (false: at least one is unset); nil until the panel
        /// has reported (the calendar decides then).
        public var armed: Bool?
        /// Partitions the panel last reported unset, with who unset them.
        public var unsetPartitions: [String] = []
    }

    /// One row of the alarm queue.
    public struct QueuedIncident: Sendable, Codable, Equatable {
        public var id: String
        public var site: String
        public var siteName: String
        public var priority: String
        public var rank: Int
        public var state: String
        public var openedAt: Int64
        public var updatedAt: Int64
        public var lastCause: String
        public var verification: String?
        /// Why: what triggered it, from the latest guard request.
        public var triggers: [String]
        public var unit: String?
        /// When the requested unit must have accepted (the dispatch acknowledgement timeout).
        public var ackDeadline: Int64?
        public var acknowledgedBy: String?
        public var acknowledgedAt: Int64?
    }

    /// A patrol unit's last known position and status.
    public struct Unit: Sendable, Codable, Equatable {
        public var id: String
        public var callSign: String
        public var latitude: Double?
        public var longitude: Double?
        public var positionAt: Int64?
        public var status: String?
        public var statusAt: Int64?
    }

    /// An open incident as the journal's incident table holds it.
    public struct OpenIncident: Sendable, Equatable {
        public var id: String
        public var site: String
        public var state: String
        public var priority: String
        public var openedAt: Int64
        public var updatedAt: Int64
        public var lastCause: String

        public init(id: String, site: String, state: String, priority: String, openedAt: Int64, updatedAt: Int64, lastCause: String) {
            self.id = id
            self.site = site
            self.state = state
            self.priority = priority
            self.openedAt = openedAt
            self.updatedAt = updatedAt
            self.lastCause = lastCause
        }
    }

    /// States that leave the alarm queue.
    public static let finishedStates: Set<String> = ["cleared", "closed", "attributed"]

    /// Builds the board at `now`.
    public static func make(
        open: [OpenIncident], records: NightRecords, configuration: WatchConfiguration, now: Int64,
        tileURL: String? = nil, policy: DispatchPolicy = DispatchPolicy()
    ) -> Board {
        let names = Dictionary(configuration.sites.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        let live = open.filter { !finishedStates.contains($0.state) }
        let queue = live.map { incident -> QueuedIncident in
            let request = records.guardRequests.last { $0.incident == incident.id }
            let priority = IncidentPriority.named(incident.priority)
            let accepted = records.transitions.contains { $0.incident == incident.id && ["acknowledged", "on-site"].contains($0.to) }
            let ack = records.operatorActions.last { $0.incident == incident.id && $0.action == "acknowledge" }
            return QueuedIncident(
                id: incident.id, site: incident.site, siteName: names[incident.site] ?? incident.site,
                priority: incident.priority, rank: priority?.rawValue ?? 0, state: incident.state,
                openedAt: incident.openedAt, updatedAt: incident.updatedAt, lastCause: incident.lastCause,
                verification: request?.verification, triggers: request?.triggers ?? [], unit: request?.unit,
                ackDeadline: accepted ? nil : request.map { r in r.time + (priority.map { policy.acknowledgementTimeout(for: $0).value } ?? 180_000) },
                acknowledgedBy: ack?.author, acknowledgedAt: ack?.time)
        }
        .sorted { ($1.rank, $0.openedAt, $0.id) < ($0.rank, $1.openedAt, $1.id) }

        var faults: [String: [String]] = [:]
        for w in records.warnings where w.time <= now {
            guard let site = w.site else { continue }
            switch w.code {
            case "device-offline", "communication-failure": faults[site, default: []].append(w.message)
            case "device-restored": if !(faults[site]?.isEmpty ?? true) { faults[site]!.removeFirst() }
            default: break
            }
        }
        let sites = configuration.sites.map { site -> Site in
            let own = queue.filter { $0.site == site.id.rawValue }
            // Each partition's latest report: its own, or a later one for all partitions.
            let changes = records.armChanges.filter { $0.site == site.id.rawValue && $0.time <= now }
            var unset: [String] = []
            var reported = false
            for partition in site.effectivePartitions {
                guard let last = changes.filter({ $0.partition == nil || $0.partition == partition.id.rawValue }).max(by: { $0.time < $1.time })
                else { continue }
                reported = true
                if !last.set { unset.append(partition.name + (last.user.map { " (\($0))" } ?? "")) }
            }
            var entry = Site(
                id: site.id.rawValue, name: site.name, kind: site.kind.rawValue, latitude: site.location.latitude,
                longitude: site.location.longitude, openIncidents: own.count, worstPriority: own.first?.priority,
                supervisionFaults: faults[site.id.rawValue] ?? [], armed: reported ? unset.isEmpty : nil)
            entry.unsetPartitions = unset
            return entry
        }
        let units = configuration.patrol.units.map { unit -> Unit in
            let id = unit.id.rawValue
            let position = records.unitMessages.last { $0.unit == id && $0.kind == "position" }
            let status = records.unitMessages.last { $0.unit == id && $0.kind == "status" }
            return Unit(
                id: id, callSign: unit.callSign, latitude: position?.latitude, longitude: position?.longitude,
                positionAt: position?.time, status: status?.state, statusAt: status?.time)
        }
        let night = Night(containing: Timestamp(millisecondsSinceEpoch: now))
        let checkIns = records.unitMessages.filter { $0.kind == "checkin" && night.contains($0.time) }
        let visits = NightReport.visits(
            configuration: configuration, night: night, asOf: now, checkIns: checkIns,
            warnings: records.warnings.filter { night.contains($0.time) }, dispatches: records.guardRequests, name: { names[$0] ?? $0 })
        return Board(
            now: now, night: night.description, tileURL: tileURL, sites: sites, incidents: queue, units: units,
            visits: visits, warnings: Array(records.warnings.suffix(30).reversed()))
    }
}
