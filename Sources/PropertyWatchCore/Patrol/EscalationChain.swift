/// Who is told, besides the unit chain, and when: one chain per priority in `DispatchPolicy`,
/// configured under `patrol.escalation.chains`.
///
/// The chain runs unit → next unit (each with `unitTimeout`, at most `maxUnits` of them) →
/// the guard company central → the on-call contact (after `centralTimeout`, or when the
/// central cannot be reached). `atOnce` targets are told as soon as the first unit is asked,
/// in parallel with the chain. Unset members fall back to the default chain, then to the
/// policy's own defaults.
public struct EscalationChain: Sendable, Hashable, Codable {
    /// How long each unit has to accept or decline.
    public var unitTimeout: Milliseconds?
    /// How many units are asked, one after another, before the central (nil: every unit free).
    public var maxUnits: Int?
    /// How long after the central is told the on-call contact is told too, if no unit has taken
    /// the incident by then (nil: only when the central cannot be reached).
    public var centralTimeout: Milliseconds?
    /// Told at once, when the first unit is asked.
    public var atOnce: Set<EscalationTarget>?
    /// Instead of asking a unit to go, add a directed check of the site to the route that loses
    /// least; withdrawn (and the car told) when the incident ends or its priority rises.
    public var checkInstead: Bool?

    public init(
        unitTimeout: Milliseconds? = nil, maxUnits: Int? = nil, centralTimeout: Milliseconds? = nil,
        atOnce: Set<EscalationTarget>? = nil, checkInstead: Bool? = nil
    ) {
        self.unitTimeout = unitTimeout
        self.maxUnits = maxUnits
        self.centralTimeout = centralTimeout
        self.atOnce = atOnce
        self.checkInstead = checkInstead
    }

    /// This chain with `base`'s members where this one has none.
    public func over(_ base: EscalationChain) -> EscalationChain {
        EscalationChain(
            unitTimeout: unitTimeout ?? base.unitTimeout, maxUnits: maxUnits ?? base.maxUnits,
            centralTimeout: centralTimeout ?? base.centralTimeout, atOnce: atOnce ?? base.atOnce,
            checkInstead: checkInstead ?? base.checkInstead)
    }
}

/// Someone told outside the patrol units.
public enum EscalationTarget: String, Sendable, Hashable, Codable, CaseIterable {
    case central
    case onCall = "on-call"
}
