/// When no unit takes an incident: the guard company central (webhook, retried with
/// exponential back-off under one idempotency key), then the on-call contact.
///
/// The on-call contact is told once: when the central has failed `centralMaxAttempts` times,
/// at once when no central is configured, or together with the central when
/// `DispatchPolicy.onCallWithCentral` is set.
extension DispatchCoordinator {
    mutating func escalate(_ d: inout IncidentDispatch, now: Timestamp, reason: String?, into actions: inout [WatchAction]) {
        guard !d.escalated else { return }
        d.escalated = true
        let escalation = directory.configuration.patrol.escalation
        let prefix = reason.map { "\($0); " } ?? ""
        actions.append(.warning(site: d.incident.site, code: "nobody-available",
            message: "\(prefix)no patrol unit available for \(d.incident.id)"))
        let summary = summary(of: d)
        if escalation.centralWebhookURL != nil {
            d.central = IncidentDispatch.Central()
            transition(&d, to: .escalated, cause: "\(prefix)no unit available; guard company central notified", now: now, into: &actions)
            actions.append(.notifyCentral(incident: d.incident.id, idempotencyKey: d.idempotencyKey, summary: summary))
            if policy.onCallWithCentral { notifyOnCall(&d, summary: summary, into: &actions) }
        } else if let contact = escalation.onCallContact {
            transition(&d, to: .escalated, cause: "\(prefix)no unit available; on-call \(contact) notified", now: now, into: &actions)
            notifyOnCall(&d, summary: summary, into: &actions)
        } else {
            transition(&d, to: .escalated, cause: "\(prefix)no unit available and no escalation configured", now: now, into: &actions)
        }
    }

    mutating func notifyOnCall(_ d: inout IncidentDispatch, summary: String, into actions: inout [WatchAction]) {
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

    mutating func centralDelivery(_ id: IncidentID, key: String, succeeded: Bool, now: Timestamp, into actions: inout [WatchAction]) {
        guard var d = incidents[id], key == d.idempotencyKey, var central = d.central, central.inFlight else { return }
        central.inFlight = false
        defer { d.central = central; incidents[id] = d }
        guard !d.ended, d.assigned == nil else { return }
        if succeeded {
            central.delivered = true
            transition(&d, to: .escalated, cause: "central confirmed receipt (attempt \(central.attempts))", now: now, into: &actions)
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
    mutating func retryCentral(_ due: [IncidentID], now: Timestamp, into actions: inout [WatchAction]) {
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
    public mutating func resume(at now: Timestamp) -> [WatchAction] {
        var actions: [WatchAction] = []
        defer { settleDeadlines() }
        let waiting = incidents.filter { $0.value.central?.inFlight == true }.keys.sorted()
        for id in waiting {
            guard let key = incidents[id]?.idempotencyKey else { continue }
            centralDelivery(id, key: key, succeeded: false, now: now, into: &actions)
        }
        return actions
    }
}
