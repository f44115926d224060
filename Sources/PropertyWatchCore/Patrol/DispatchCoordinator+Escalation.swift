/// When no unit takes an incident: the guard company central (webhook, retried with
/// exponential back-off under one idempotency key), then the on-call contact.
///
/// The on-call contact is told once: when the central has failed `centralMaxAttempts` times,
/// when the chain's `centralTimeout` passes with no unit on the incident, at once when no
/// central is configured, together with the central when `DispatchPolicy.onCallWithCentral`
/// is set, or as soon as the first unit is asked when the chain says so (`atOnce`).
extension DispatchCoordinator {
    mutating func escalate(_ d: inout IncidentDispatch, now: Timestamp, reason: String?, into actions: inout [DispatchAction]) {
        guard !d.escalated else { return }
        d.escalated = true
        let escalation = directory.configuration.patrol.escalation
        let prefix = reason.map { "\($0); " } ?? ""
        actions.append(.warning(site: d.incident.site, code: "nobody-available",
            message: "\(prefix)no patrol unit available for \(d.incident.id)"))
        let summary = summary(of: d)
        if escalation.centralWebhookURL != nil {
            let told = d.central != nil
            if !told { d.central = IncidentDispatch.Central() }
            let cause = told ? "guard company central already notified" : "guard company central notified"
            report(d, .escalated, cause: "\(prefix)no unit available; \(cause)", into: &actions)
            if !told { actions.append(.notifyCentral(incident: d.incident.id, idempotencyKey: d.idempotencyKey, summary: summary)) }
            if policy.onCallWithCentral { notifyOnCall(&d, summary: summary, into: &actions) }
            if let wait = policy.chain(for: d.incident.priority).centralTimeout, !d.onCallNotified, escalation.onCallContact != nil {
                d.onCallDue = now + wait
                schedule(.centralTimeout, of: d.incident.id, at: now + wait)
            }
        } else if let contact = escalation.onCallContact {
            report(d, .escalated, cause: "\(prefix)no unit available; on-call \(contact) notified", into: &actions)
            notifyOnCall(&d, summary: summary, into: &actions)
        } else {
            report(d, .escalated, cause: "\(prefix)no unit available and no escalation configured", into: &actions)
        }
    }

    /// Tells the chain's `atOnce` targets, each once, in parallel with the units.
    mutating func notifyAtOnce(_ d: inout IncidentDispatch, now: Timestamp, into actions: inout [DispatchAction]) {
        guard !d.ended, let targets = policy.chain(for: d.incident.priority).atOnce, !targets.isEmpty else { return }
        let escalation = directory.configuration.patrol.escalation
        if targets.contains(.central), d.central == nil, escalation.centralWebhookURL != nil {
            d.central = IncidentDispatch.Central()
            actions.append(.warning(site: d.incident.site, code: "central-notified",
                message: "\(d.incident.id) (\(d.incident.priority.name)): guard company central told at once"))
            actions.append(.notifyCentral(incident: d.incident.id, idempotencyKey: d.idempotencyKey, summary: summary(of: d)))
        }
        if targets.contains(.onCall), !d.onCallNotified, let contact = escalation.onCallContact {
            actions.append(.warning(site: d.incident.site, code: "on-call-notified",
                message: "\(d.incident.id) (\(d.incident.priority.name)): on-call \(contact) told at once"))
            notifyOnCall(&d, summary: summary(of: d), into: &actions)
        }
    }

    /// The central had `centralTimeout` and no unit took the incident: the on-call is told.
    mutating func centralTimedOut(_ due: [IncidentID], now: Timestamp, into actions: inout [DispatchAction]) {
        for id in due {
            guard var d = incidents[id], !d.ended, let at = d.onCallDue, at <= now else { continue }
            d.onCallDue = nil
            if d.assigned == nil, !d.onCallNotified {
                actions.append(.warning(site: d.incident.site, code: "central-timeout",
                    message: "no unit has taken \(id) \(Self.duration(policy.chain(for: d.incident.priority).centralTimeout ?? .seconds(0))) after the central was told; telling the on-call contact"))
                notifyOnCall(&d, summary: summary(of: d), into: &actions)
            }
            incidents[id] = d
        }
    }

    mutating func notifyOnCall(_ d: inout IncidentDispatch, summary: String, into actions: inout [DispatchAction]) {
        guard !d.onCallNotified, let contact = directory.configuration.patrol.escalation.onCallContact else { return }
        d.onCallNotified = true
        actions.append(.notifyOnCall(incident: d.incident.id, contact: contact, summary: summary))
    }

    func summary(of d: IncidentDispatch) -> String {
        let site = directory.site(d.incident.site)
        var text = "\(d.incident.priority.name) at \(site?.name ?? d.incident.site.rawValue)"
        if let address = site?.address, !address.isEmpty { text += ", \(address)" }
        if !d.incident.triggers.isEmpty { text += ": " + d.incident.triggers.joined(separator: "; ") }
        return text + " (\(d.incident.id))"
    }

    mutating func centralDelivery(_ id: IncidentID, key: String, succeeded: Bool, now: Timestamp, into actions: inout [DispatchAction]) {
        guard var d = incidents[id], key == d.idempotencyKey, var central = d.central, central.inFlight else { return }
        central.inFlight = false
        defer { d.central = central; incidents[id] = d }
        guard !d.ended, d.assigned == nil else { return }
        if succeeded {
            central.delivered = true
            report(d, .escalated, cause: "central confirmed receipt (attempt \(central.attempts))", into: &actions)
            return
        }
        if central.attempts < policy.centralMaxAttempts {
            let delay = policy.centralRetryDelay(afterAttempt: central.attempts)
            central.nextRetry = now + delay
            schedule(.centralRetry, of: id, at: now + delay)
            actions.append(.warning(site: d.incident.site, code: "central-delivery-failed",
                message: "central webhook attempt \(central.attempts) for \(id) failed; retrying in \(Self.duration(delay))"))
        } else {
            central.gaveUp = true
            actions.append(.warning(site: d.incident.site, code: "central-unreachable",
                message: "central webhook failed \(central.attempts) times for \(id); telling the on-call contact"))
            notifyOnCall(&d, summary: summary(of: d), into: &actions)
        }
    }

    /// Sends the retries of `due` (sorted), which includes every incident whose retry is due.
    mutating func retryCentral(_ due: [IncidentID], now: Timestamp, into actions: inout [DispatchAction]) {
        for id in due {
            guard var d = incidents[id], !d.ended, d.assigned == nil, var central = d.central,
                let due = central.nextRetry, due <= now
            else { continue }
            central.attempts += 1
            central.inFlight = true
            central.nextRetry = nil
            d.central = central
            actions.append(.notifyCentral(incident: id, idempotencyKey: d.idempotencyKey, summary: summary(of: d)))
            incidents[id] = d
        }
    }
}

extension DispatchCoordinator {
    /// The daemon restarts at `now`. A webhook attempt that was in flight when it stopped will
    /// never report back, so it counts as failed: the retry schedule (and in the end the
    /// on-call contact) takes over instead of waiting forever.
    public mutating func resume(at now: Timestamp) -> [DispatchAction] {
        var actions: [DispatchAction] = []
        defer { settleDeadlines() }
        let waiting = incidents.filter { $0.value.central?.inFlight == true }.keys.sorted()
        for id in waiting {
            guard let key = incidents[id]?.idempotencyKey else { continue }
            centralDelivery(id, key: key, succeeded: false, now: now, into: &actions)
        }
        return actions
    }
}
