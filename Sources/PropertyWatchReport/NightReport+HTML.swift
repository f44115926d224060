import PropertyWatchCore

extension NightReport {
    /// A self-contained HTML page (no scripts, no external assets): summary, a timeline
    /// chart of the night and a map, both inline SVG, and the tables.
    public func html(configuration: WatchConfiguration) -> String {
        var h = """
            <!doctype html>
            <html lang="sv"><head><meta charset="utf-8"><title>PropertyWatch natt \(night)</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
            table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
            th{color:#666;font-weight:normal}.k{display:inline-block;margin-right:1.5em}
            svg{border:1px solid #ccc;background:#fafafa}
            </style></head><body>
            <h1>Nattrapport / Night report \(night)</h1>
            <p>12:00–12:00 Europe/Stockholm, as of \(LocalFormat.dateTime(asOf))</p>
            <p>
            """
        let totals: [(String, Int)] = [
            ("incidents", counts.incidents), ("guard requests", counts.guardRequests), ("escalations", counts.escalations),
            ("visits", visits.filter { $0.status != "off-duty" }.count), ("missed", visits.filter { $0.status == "missed" }.count),
            ("directed checks", directedChecks.count), ("outages", supervisionOutages.count), ("attributed", counts.attributed),
            ("cancelled", counts.cancelled), ("operator actions", counts.operatorActions),
        ]
        h += totals.map { "<span class=\"k\">\(htmlEscape($0.0)): <b>\($0.1)</b></span>" }.joined() + "</p>\n"
        h += "<h2>Timeline</h2>\n" + timelineSVG() + "\n<h2>Map</h2>\n" + mapSVG(configuration: configuration) + "\n"

        func table(_ title: String, _ head: [String], _ rows: [[String]]) {
            h += "<h2>\(htmlEscape(title))</h2>\n"
            if rows.isEmpty { h += "<p>none</p>\n"; return }
            h += "<table><tr>" + head.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr>\n"
            for r in rows { h += "<tr>" + r.map { "<td>\(htmlEscape($0))</td>" }.joined() + "</tr>\n" }
            h += "</table>\n"
        }
        table("Incidents", ["opened", "incident", "site", "priority", "state", "dispatch", "on site after", "units", "last cause"],
            incidents.map { [LocalFormat.time($0.openedAt), $0.id, $0.siteName, $0.priority, $0.state,
                $0.dispatchMs.map(LocalFormat.duration) ?? "–", $0.responseMs.map(LocalFormat.duration) ?? "–",
                $0.units.joined(separator: ", "), $0.lastCause] })
        table("Dispatches and escalations", ["time", "incident", "to", "attempt", "site", "answer"],
            dispatches.map { [LocalFormat.time($0.time), $0.incident, $0.unit, "\($0.attempt)", $0.siteName, $0.answer] }
                + escalations.map { [LocalFormat.time($0.time), $0.incident, $0.target, "", "", "escalated"] })
        table("Planned visits", ["window", "unit", "site", "status", "checked in"],
            visits.filter { $0.status != "off-duty" }.map {
                ["\(LocalFormat.time($0.windowStart))–\(LocalFormat.time($0.windowEnd))", $0.unit, $0.siteName, $0.status,
                 $0.checkedInAt.map(LocalFormat.time) ?? "–"] })
        table("Directed checks", ["requested", "site", "by", "visited"],
            directedChecks.map { [LocalFormat.time($0.requestedAt), $0.siteName, $0.author, $0.visitedAt.map(LocalFormat.time) ?? "–"] })
        table("Supervision outages", ["from", "to", "site", "what"],
            supervisionOutages.map { [LocalFormat.time($0.from), $0.to.map(LocalFormat.time) ?? "open", $0.siteName, $0.message] })
        table("Operator actions", ["time", "operator", "action", "incident / site", "detail"],
            operatorActions.map { [LocalFormat.time($0.time), $0.author, $0.action, $0.incident ?? $0.site ?? "", $0.detail] })
        table("Rejected messages", ["reason", "count"], counts.rejectedByReason.sorted { $0.key < $1.key }.map { [$0.key, "\($0.value)"] })
        h += "</body></html>\n"
        return h
    }

    /// Colour of a priority, from trouble (grey) to fire (red).
    static func colour(_ priority: String) -> String {
        switch priority {
        case "fire": "#d00"
        case "hold-up": "#a0a"
        case "verified-intrusion": "#e60"
        case "vandalism": "#c80"
        case "unverified-intrusion": "#06c"
        default: "#888"
        }
    }

    /// The night as a horizontal time axis (18:00 to 08:00 at least): one bar per incident
    /// from opening to closing, ticks for visits and actions.
    func timelineSVG() -> String {
        let width = 900.0, left = 150.0, rowHeight = 16.0
        let dayStart = from + 6 * 3_600_000, dayEnd = from + 20 * 3_600_000  // 18:00 and 08:00 (12 h offsets, DST aside)
        let times = incidents.map(\.openedAt) + visits.compactMap(\.checkedInAt) + operatorActions.map(\.time)
        let t0 = min(dayStart, times.min() ?? dayStart), t1 = max(dayEnd, times.max() ?? dayEnd, incidents.compactMap(\.closedAt).max() ?? dayEnd)
        let span = Double(max(1, t1 - t0))
        func x(_ t: Int64) -> Double { left + Double(t - t0) / span * (width - left - 10) }
        let rows = incidents.count + 2
        let height = 30 + Double(rows) * rowHeight + 10
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-size=\"11\">"
        var hour = t0 - t0 % 3_600_000 + 3_600_000
        while hour < t1 {
            let hx = x(hour)
            s += "<line x1=\"\(f(hx))\" y1=\"20\" x2=\"\(f(hx))\" y2=\"\(f(height - 5))\" stroke=\"#e4e4e4\"/>"
            s += "<text x=\"\(f(hx))\" y=\"14\" text-anchor=\"middle\" fill=\"#666\">\(LocalFormat.time(hour))</text>"
            hour += 3_600_000
        }
        for (i, incident) in incidents.enumerated() {
            let y = 26 + Double(i) * rowHeight
            let end = incident.closedAt ?? asOf
            s += "<text x=\"4\" y=\"\(f(y + 10))\">\(htmlEscape(String(incident.siteName.prefix(22))))</text>"
            s += "<rect x=\"\(f(x(incident.openedAt)))\" y=\"\(f(y))\" width=\"\(f(max(3, x(end) - x(incident.openedAt))))\" height=\"12\" fill=\"\(Self.colour(incident.priority))\"><title>\(htmlEscape("\(incident.id) \(incident.priority) \(incident.state)"))</title></rect>"
            if let onSite = incident.onSiteAt {
                s += "<circle cx=\"\(f(x(onSite)))\" cy=\"\(f(y + 6))\" r=\"3\" fill=\"#fff\" stroke=\"#000\"/>"
            }
        }
        let visitY = 26 + Double(incidents.count) * rowHeight
        s += "<text x=\"4\" y=\"\(f(visitY + 10))\">visits</text>"
        for v in visits where v.status != "off-duty" {
            let colour = ["on-time": "#2a2", "late": "#e90", "missed": "#d00", "re-planned": "#97c"][v.status] ?? "#aaa"
            s += "<rect x=\"\(f(x(v.checkedInAt ?? v.windowStart)))\" y=\"\(f(visitY + 1))\" width=\"4\" height=\"10\" fill=\"\(colour)\"><title>\(htmlEscape("\(v.siteName) \(v.status)"))</title></rect>"
        }
        let actionY = visitY + rowHeight
        s += "<text x=\"4\" y=\"\(f(actionY + 10))\">operators</text>"
        for a in operatorActions {
            s += "<rect x=\"\(f(x(a.time)))\" y=\"\(f(actionY + 1))\" width=\"3\" height=\"10\" fill=\"#555\"><title>\(htmlEscape("\(a.author) \(a.action)"))</title></rect>"
        }
        return s + "</svg>"
    }

    /// Sites (ringed by their worst incident of the night), the routes, and check-ins.
    func mapSVG(configuration: WatchConfiguration) -> String {
        let map = SVGMap(coordinates: configuration.sites.map(\.location))
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(map.width))\" height=\"\(Int(map.height))\" font-size=\"10\">"
        let locations = Dictionary(configuration.sites.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        for route in configuration.patrol.routes {
            let points = route.stops.compactMap { locations[$0.site] }.map(map.point)
            guard points.count > 1 else { continue }
            s += "<polyline fill=\"none\" stroke=\"#9ab\" stroke-dasharray=\"4 3\" points=\"" + points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") + "\"/>"
        }
        let worst = Dictionary(grouping: incidents, by: \.site).mapValues { list in
            list.max { (IncidentPriority.named($0.priority)?.rawValue ?? 0) < (IncidentPriority.named($1.priority)?.rawValue ?? 0) }!
        }
        for site in configuration.sites {
            let p = map.point(site.location)
            let incident = worst[site.id.rawValue]
            let missed = visits.contains { $0.site == site.id.rawValue && $0.status == "missed" }
            s += "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"\(incident == nil ? 5 : 8)\" fill=\"\(incident.map { Self.colour($0.priority) } ?? "#4a4")\" stroke=\"\(missed ? "#d00" : "#333")\" stroke-width=\"\(missed ? 2 : 1)\"><title>\(htmlEscape(site.name))</title></circle>"
            s += "<text x=\"\(f(p.x + 9))\" y=\"\(f(p.y + 3))\">\(htmlEscape(site.name))</text>"
        }
        return s + "</svg>"
    }
}

/// Fixed two-decimal formatting for SVG coordinates (no Foundation).
func f(_ v: Double) -> String {
    let scaled = (v * 100).rounded()
    let whole = Int(scaled) / 100, frac = abs(Int(scaled) % 100)
    return (scaled < 0 && whole == 0 ? "-" : "") + "\(whole)." + (frac < 10 ? "0\(frac)" : "\(frac)")
}

extension IncidentPriority {
    /// The priority with this `name` (`fire`, `verified-intrusion`, …).
    public static func named(_ name: String) -> IncidentPriority? {
        allCases.first { $0.name == name }
    }
}
