import PropertyWatchPipeline

extension PrometheusText {
    /// The metrics of a daemon in an active/standby pair.
    static func render(_ ha: HAStatus) -> String {
        let roles = ["starting", "standby", "candidate", "active"].map {
            (labels: #"{node="\#(ha.node)",role="\#($0)"}"#, value: ha.role == $0 ? 1 : 0)
        }
        return family("propertywatch_ha_role", "gauge", "1 for this daemon's role in its pair (starting, standby, candidate, active).", roles)
            + family("propertywatch_ha_term", "gauge", "The lease term this daemon holds or last claimed.", [("", ha.term)])
            + family(
                "propertywatch_ha_lease_expires_seconds", "gauge",
                "Active: seconds until the lease must be renewed; standby: until it would take over from a silent leader.",
                [("", ha.leaseExpiresSeconds ?? 0)])
            + family(
                "propertywatch_ha_peer_age_seconds", "gauge", "Seconds since the other daemon of the pair was last heard (-1: never).",
                [("", ha.peerAgeSeconds ?? -1)])
            + family("propertywatch_ha_takeovers_total", "counter", "Times this daemon became active.", [("", ha.takeovers)])
            + family(
                "propertywatch_ha_held", "gauge", "Actions held back as standby, waiting for the active's publish or a takeover.",
                [("", ha.held)])
            + family("propertywatch_ha_matched_total", "counter", "Actions confirmed by the active's own publish while standby.", [("", ha.matched)])
            + family(
                "propertywatch_ha_published_at_takeover_total", "counter", "Actions published at a takeover because the old active had not.",
                [("", ha.publishedAtTakeover)])
            + family("propertywatch_ha_commands_total", "counter", "Operator commands received through the broker and journaled.", [("", ha.commands)])
    }
}
