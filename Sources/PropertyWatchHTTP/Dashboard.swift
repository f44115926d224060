/// The operator dashboard: one self-contained page that polls the JSON API every 2 s.
enum Dashboard {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PropertyWatch</title>
        <style>
        body { font: 14px system-ui, sans-serif; margin: 1.5em; background: #111; color: #eee; }
        h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin-top: 1.5em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #333; }
        th { color: #aaa; font-weight: normal; }
        .bad { color: #f66; } .ok { color: #6c6; }
        #counters span { display: inline-block; margin-right: 1.5em; }
        </style>
        </head>
        <body>
        <h1>PropertyWatch <small id="link"></small></h1>
        <div id="counters"></div>
        <h2>Open incidents</h2>
        <table><thead><tr><th>Incident</th><th>Site</th><th>Priority</th><th>State</th><th>Last cause</th><th>Updated</th></tr></thead>
        <tbody id="incidents"></tbody></table>
        <h2>Recent dead letters</h2>
        <table><thead><tr><th>Received</th><th>Topic</th><th>Reason</th><th>Detail</th><th>Bytes</th></tr></thead>
        <tbody id="dead"></tbody></table>
        <script>
        "use strict";
        const time = ms => new Date(ms).toLocaleString();
        function fill(id, rows) {
          const body = document.getElementById(id);
          body.replaceChildren(...rows.map(cells => {
            const tr = document.createElement("tr");
            for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.appendChild(td); }
            return tr;
          }));
        }
        async function json(path) { const r = await fetch(path); if (!r.ok) throw new Error(path + " " + r.status); return r.json(); }
        async function refresh() {
          try {
            const [status, list, dead] = await Promise.all([
              json("/api/status"), json("/api/incidents?state=open&limit=200"), json("/api/dead-letters?limit=20")]);
            const link = document.getElementById("link");
            link.textContent = "broker " + status.broker + ", journal " + status.journal;
            link.className = status.broker === "connected" && status.journal === "ok" ? "ok" : "bad";
            const rejected = Object.values(status.rejected).reduce((a, b) => a + b, 0);
            const counters = { received: status.received, accepted: status.accepted, ignored: status.ignored,
              rejected: rejected, "guard requests": status.guardRequests, batches: status.batches,
              "last commit µs": status.lastCommitMicroseconds, "inbox stalls": status.inboxStalls };
            document.getElementById("counters").replaceChildren(...Object.entries(counters).map(([k, v]) => {
              const s = document.createElement("span"); s.textContent = k + ": " + v; return s; }));
            fill("incidents", list.incidents.map(i => [i.id, i.site, i.priority, i.state, i.lastCause, time(i.updatedAt)]));
            fill("dead", dead.deadLetters.map(d => [time(d.receivedAt), d.topic, d.reason, d.detail, d.payloadSize]));
          } catch (e) {
            const link = document.getElementById("link");
            link.textContent = "unreachable: " + e.message; link.className = "bad";
          }
        }
        refresh();
        setInterval(refresh, 2000);
        </script>
        </body>
        </html>
        """
}
