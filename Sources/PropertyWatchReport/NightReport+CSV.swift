extension NightReport {
    /// One row per incident, RFC 4180 quoting, times in Stockholm local time.
    public func csv() -> String {
        var rows = [[
            "night", "incident", "site", "site_name", "priority", "state", "verification", "opened", "first_dispatch",
            "accepted", "on_site", "closed", "dispatch_seconds", "response_seconds", "units", "last_cause",
        ]]
        for i in incidents {
            rows.append([
                night, i.id, i.site, i.siteName, i.priority, i.state, i.verification ?? "",
                LocalFormat.dateTime(i.openedAt), i.firstDispatchAt.map(LocalFormat.dateTime) ?? "",
                i.acceptedAt.map(LocalFormat.dateTime) ?? "", i.onSiteAt.map(LocalFormat.dateTime) ?? "",
                i.closedAt.map(LocalFormat.dateTime) ?? "", i.dispatchMs.map { "\($0 / 1000)" } ?? "",
                i.responseMs.map { "\($0 / 1000)" } ?? "", i.units.joined(separator: " "), i.lastCause,
            ])
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
