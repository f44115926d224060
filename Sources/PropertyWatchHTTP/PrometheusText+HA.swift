import PropertyWatchPipeline

extension PrometheusText {
    /// The metrics of a daemon in an active/standby pair.
    static func render(_ ha: HAStatus) -> String {
        var out = ""
        func header(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        header("propertywatch_ha_role", "gauge", "1 for this daemon's role in its pair (starting, standby, candidate, active).")
        for role in ["starting", "standby", "candidate", "active"] {
            out += #"propertywatch_ha_role{node="\#(ha.node)",role="\#(role)"} \#(ha.role == role ? 1 : 0)"# + "\n"
        }
        header("propertywatch_ha_term", "gauge", "The lease term this daemon holds or last claimed.")
        out += "propertywatch_ha_term \(ha.term)\n"
        header("propertywatch_ha_lease_expires_seconds", "gauge", "Active: seconds until the lease must be renewed; standby: until it would take over from a silent leader.")
        out += "propertywatch_ha_lease_expires_seconds \(ha.leaseExpiresSeconds ?? 0)\n"
        header("propertywatch_ha_peer_age_seconds", "gauge", "Seconds since the other daemon of the pair was last heard (-1: never).")
        out += "propertywatch_ha_peer_age_seconds \(ha.peerAgeSeconds ?? -1)\n"
        header("propertywatch_ha_takeovers_total", "counter", "Times this daemon became active.")
        out += "propertywatch_ha_takeovers_total \(ha.takeovers)\n"
        header("propertywatch_ha_held", "gauge", "Actions held back as standby, waiting for the active's publish or a takeover.")
        out += "propertywatch_ha_held \(ha.held)\n"
        header("propertywatch_ha_matched_total", "counter", "Actions confirmed by the active's own publish while standby.")
        out += "propertywatch_ha_matched_total \(ha.matched)\n"
        header("propertywatch_ha_published_at_takeover_total", "counter", "Actions published at a takeover because the old active had not.")
        out += "propertywatch_ha_published_at_takeover_total \(ha.publishedAtTakeover)\n"
        header("propertywatch_ha_commands_total", "counter", "Operator commands received through the broker and journaled.")
        out += "propertywatch_ha_commands_total \(ha.commands)\n"
        return out
    }
}
