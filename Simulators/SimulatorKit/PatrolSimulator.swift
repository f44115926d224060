import PropertyWatchCore

/// The patrol cars of tonight's plan (the same plan the daemon's dispatch coordinator builds
/// from the configuration), each a `PatrolCar`.
public struct PatrolSimulator: Sendable {
    public private(set) var cars: [PatrolCar]
    public let plan: NightPlan

    /// - Parameters:
    ///   - policies: per unit; units not listed use `defaultPolicy`.
    ///   - units: the units to simulate (default: every configured unit).
    public init(
        configuration: WatchConfiguration, start: Timestamp, seed: UInt64, policies: [UnitID: AnswerPolicy] = [:],
        defaultPolicy: AnswerPolicy = AnswerPolicy(), drivesRoutes: Bool = true, units: Set<UnitID>? = nil,
        positionInterval: Milliseconds = .seconds(60)
    ) {
        let directory = SiteDirectory(configuration)
        var coordinator = DispatchCoordinator(directory: directory)
        _ = coordinator.tick(now: start)
        plan = coordinator.tonight
        let root = SplitMix64(seed: seed)
        cars = configuration.patrol.units.map(\.id).sorted()
            .filter { units?.contains($0) ?? true }
            .map { unit in
                PatrolCar(
                    unit: unit, policy: policies[unit] ?? defaultPolicy, plan: coordinator.tonight, directory: directory,
                    seed: root.fork("car-\(unit)"), drivesRoute: drivesRoutes, positionInterval: positionInterval)
            }
    }

    public var nextDeadline: Timestamp? { cars.compactMap(\.nextDeadline).min() }

    /// Hands a guard request to its unit's car.
    public mutating func receive(_ request: GuardRequest, now: Timestamp) {
        for i in cars.indices where cars[i].unit == request.unit { cars[i].receive(request, now: now) }
    }

    /// Moves every car to `now`; returns what they send and their readable notes.
    public mutating func advance(to now: Timestamp, stamp: Timestamp) -> (messages: [InboundMessage], notes: [String]) {
        var out: [InboundMessage] = []
        var notes: [String] = []
        for i in cars.indices {
            out += cars[i].advance(to: now, stamp: stamp)
            notes += cars[i].notes
            cars[i].notes.removeAll()
        }
        return (out, notes)
    }

    public func car(_ unit: UnitID) -> PatrolCar? { cars.first { $0.unit == unit } }
}
