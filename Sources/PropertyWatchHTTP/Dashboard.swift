/// The operator dashboard: one self-contained page (no CDN, no external assets), built into
/// the binary. It logs in (name and password, or a token; `#token=…` in the address logs in
/// at once), loads `/api/board`, and listens to `/api/events` (server-sent events): each
/// change in the journal makes it reload the board, so it never polls. Timers tick locally.
/// All times are Europe/Stockholm; sites are shown by name.
enum Dashboard {
    /// Scripts and styles are inline; nothing is loaded from elsewhere except optional map
    /// tiles (`img-src *` for installations that configure a tile server).
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data: *; connect-src 'self'"

    static let html = #"""
        <!doctype html>
        <html lang="sv">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PropertyWatch – operatör</title>
        <style>
        :root { --bg:#12151a; --panel:#1b2028; --line:#2c333f; --text:#e8ecf1; --dim:#8d98a8; }
        * { box-sizing: border-box; }
        body { font: 13px system-ui, sans-serif; margin: 0; background: var(--bg); color: var(--text); }
        header { display:flex; gap:1.5em; align-items:center; padding:8px 14px; background:#0c0f13; border-bottom:1px solid var(--line); }
        header h1 { font-size: 15px; margin: 0; }
        header .dim { color: var(--dim); }
        main { display:grid; grid-template-columns: minmax(560px, 1.25fr) minmax(420px, 1fr); gap:10px; padding:10px; }
        section { background: var(--panel); border:1px solid var(--line); border-radius:6px; padding:8px 10px; }
        h2 { font-size: 13px; margin: 2px 0 8px; color: var(--dim); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line); vertical-align: top; }
        th { color: var(--dim); font-weight: normal; }
        tr.sel { background: #26303d; }
        .prio { display:inline-block; padding:1px 6px; border-radius:3px; font-weight:600; color:#fff; white-space:nowrap; }
        .p-fire{background:#c62828}.p-hold-up{background:#8e24aa}.p-verified-intrusion{background:#e65100}
        .p-vandalism{background:#b07d00}.p-unverified-intrusion{background:#1565c0}.p-tamper,.p-trouble{background:#546e7a}
        .late { color:#ff6b6b; font-weight:600; } .ok { color:#6fcf7f; } .bad { color:#ff6b6b; } .dim { color: var(--dim); }
        button, select, input { font: inherit; background:#263040; color:var(--text); border:1px solid #3a4556; border-radius:4px; padding:3px 8px; }
        button:hover { background:#33415a; cursor:pointer; }
        button.primary { background:#1d5fbf; border-color:#2a72dd; }
        #login { max-width: 360px; margin: 12vh auto; }
        #login input { width: 100%; margin: 4px 0 8px; }
        #map svg { width: 100%; height: auto; background:#0f1318; border-radius:4px; }
        .legend span { margin-right: 1em; }
        #detail .entry { padding:3px 0; border-bottom:1px dashed var(--line); }
        #detail .entry b { color: var(--dim); font-weight: normal; margin-right: .5em; }
        form.inline { display:flex; flex-wrap:wrap; gap:6px; align-items:center; margin: 4px 0; }
        .hidden { display: none !important; }
        #toast { position: fixed; right: 12px; bottom: 12px; background:#263040; padding:8px 12px; border-radius:4px; }
        </style>
        </head>
        <body>
        <div id="login" class="hidden">
          <section>
            <h2>PropertyWatch – logga in / log in</h2>
            <form id="loginForm">
              <label>Namn / name<input id="loginName" autocomplete="username"></label>
              <label>Lösenord / password<input id="loginPassword" type="password" autocomplete="current-password"></label>
              <label>eller token / or token<input id="loginToken" type="password"></label>
              <button class="primary" type="submit">Logga in</button> <span id="loginError" class="bad"></span>
            </form>
          </section>
        </div>
        <div id="app" class="hidden">
        <header>
          <h1>PropertyWatch</h1>
          <span id="clock" class="dim"></span>
          <span id="link" class="dim"></span> <span id="haBadge" class="dim" hidden></span>
          <span id="live" class="dim">live: –</span>
          <span style="flex:1"></span>
          <span id="whoami" data-role="whoami"></span>
          <button id="logout">Logga ut</button>
        </header>
        <main>
          <div>
            <section>
              <h2>Larmkö / alarm queue</h2>
              <table><thead><tr><th>Prio</th><th>Objekt / site</th><th>Läge</th><th>Sedan larm</th><th>Kvittens senast</th><th>Verifiering / varför</th><th>Operatör</th><th></th></tr></thead>
              <tbody id="queue"></tbody></table>
              <p id="queueEmpty" class="dim">Inga öppna larm / no open incidents.</p>
            </section>
            <section id="detail" class="hidden" style="margin-top:10px">
              <h2>Händelse / incident <span id="detailTitle"></span></h2>
              <form class="inline" id="noteForm"><input id="noteText" placeholder="Anteckning / note" size="40"><button>Spara anteckning</button></form>
              <form class="inline" id="closeForm">
                <select id="closeOutcome"><option value="false-alarm">falsklarm</option><option value="technical-fault">tekniskt fel</option>
                <option value="intrusion">inbrott</option><option value="vandalism">skadegörelse</option><option value="fire">brand</option></select>
                <input id="closeReason" placeholder="Orsak / reason" size="30"><button>Avsluta / close</button>
              </form>
              <div id="timeline"></div>
            </section>
            <section style="margin-top:10px">
              <h2>Åtgärder / actions</h2>
              <form class="inline" id="silenceForm">
                <select id="silenceSite"></select><input id="silenceTarget" placeholder="device or zone:ID" size="14">
                <input id="silenceMinutes" type="number" value="60" min="1" max="10080" style="width:6em"> min
                <input id="silenceReason" placeholder="Orsak / reason" size="20"><button>Tysta / silence</button>
              </form>
              <form class="inline" id="checkForm">
                <select id="checkSite"></select><input id="checkReason" placeholder="Orsak / reason" size="30"><button>Riktad kontroll / directed check</button>
              </form>
            </section>
            <section style="margin-top:10px">
              <h2>Varningar / warnings</h2>
              <table><tbody id="warnings"></tbody></table>
            </section>
          </div>
          <div>
            <section id="map">
              <h2>Karta / map <span class="legend dim"><span>● objekt</span><span>▲ bil/unit</span><span style="color:#6fcf7f">■ klar</span><span style="color:#f5a623">■ sen</span><span style="color:#ff6b6b">■ missad</span></span></h2>
              <div id="mapBox"></div>
            </section>
            <section style="margin-top:10px">
              <h2>Bilar / units</h2>
              <table><tbody id="units"></tbody></table>
            </section>
            <section style="margin-top:10px">
              <h2>Nattens rutter / tonight's routes</h2>
              <table><thead><tr><th>Fönster</th><th>Bil</th><th>Objekt</th><th>Status</th></tr></thead><tbody id="visits"></tbody></table>
            </section>
          </div>
        </main>
        </div>
        <div id="toast" class="hidden"></div>
        <script>
        "use strict";
        const TZ = "Europe/Stockholm";
        const hm = new Intl.DateTimeFormat("sv-SE", { timeZone: TZ, hour: "2-digit", minute: "2-digit" });
        const hms = new Intl.DateTimeFormat("sv-SE", { timeZone: TZ, hour: "2-digit", minute: "2-digit", second: "2-digit" });
        const $ = id => document.getElementById(id);
        let board = null, selected = null, me = null, events = null, offset = 0, reloadTimer = null, unitsTimer = null;
        const STATE = { new: "ny", dispatched: "utlarmad", acknowledged: "kvitterad av bil", "on-site": "på plats", escalated: "eskalerad" };
        function el(tag, attrs, ...children) {
          const e = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v; }
          for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
          return e;
        }
        function toast(text) { const t = $("toast"); t.textContent = text; t.classList.remove("hidden"); setTimeout(() => t.classList.add("hidden"), 3000); }
        function duration(ms) {
          const s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
          return (h ? h + " h " : "") + String(m).padStart(h ? 2 : 1, "0") + " min " + String(r).padStart(2, "0") + " s";
        }
        async function api(path, options) {
          const init = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
          if (init.body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(init.body); }
          const r = await fetch(path, init);
          if (r.status === 401) { showLogin(); throw new Error("inte inloggad / not logged in"); }
          if (!r.ok) { let msg = r.status + ""; try { msg += " " + (await r.json()).error.message; } catch (_) {} throw new Error(msg); }
          return r.status === 204 ? null : r.json();
        }
        function showLogin() { $("app").classList.add("hidden"); $("login").classList.remove("hidden"); if (events) { events.close(); events = null; } }
        async function login(body) {
          const who = await fetch("/api/session", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
          if (!who.ok) throw new Error("fel namn, lösenord eller token / wrong credentials");
          return who.json();
        }
        $("loginForm").addEventListener("submit", async ev => {
          ev.preventDefault();
          try {
            const token = $("loginToken").value;
            await login(token ? { token } : { name: $("loginName").value, password: $("loginPassword").value });
            start();
          } catch (e) { $("loginError").textContent = e.message; }
        });
        $("logout").addEventListener("click", async () => { await fetch("/api/session", { method: "DELETE", credentials: "same-origin" }); showLogin(); });

        function now() { return Date.now() + offset; }
        function scheduleReload() { clearTimeout(reloadTimer); reloadTimer = setTimeout(reload, 150); }
        async function reload() {
          try {
            const [b, status] = await Promise.all([api("/api/board"), api("/api/status")]);
            board = b; offset = b.now - Date.now();
            $("link").textContent = "broker " + status.broker + " · journal " + status.journal;
            $("link").className = status.broker === "connected" && status.journal === "ok" ? "ok" : "bad";
            const ha = status.ha; $("haBadge").hidden = !ha;
            if (ha) {
              $("haBadge").textContent = "HA " + ha.node + ": " + ha.role + " (term " + ha.term + ")" + (ha.peer ? " · peer " + ha.peer + " " + ha.peerRole + " " + Math.round(ha.peerAgeSeconds) + " s" : " · no peer");
              $("haBadge").className = ha.role === "active" ? "ok" : ha.role === "standby" && ha.peer ? "dim" : "late";
            }
            render();
            if (selected) showDetail(selected, false);
          } catch (e) { $("link").textContent = e.message; $("link").className = "bad"; }
        }
        function render() {
          const q = $("queue"); q.replaceChildren();
          $("queueEmpty").classList.toggle("hidden", board.incidents.length > 0);
          for (const i of board.incidents) {
            const why = [i.verification ? "verifiering: " + i.verification : null, i.triggers.join(", ") || i.lastCause].filter(Boolean).join(" · ");
            const ack = i.acknowledgedBy ? el("span", { class: "ok", "data-role": "acked" }, "kvitterad av " + i.acknowledgedBy + " " + hm.format(i.acknowledgedAt))
              : el("button", { class: "primary", "data-action": "ack", onclick: ev => { ev.stopPropagation(); act(i.id, "acknowledge", {}); } }, "Kvittera");
            const tr = el("tr", { "data-incident": i.id, class: selected === i.id ? "sel" : "", onclick: () => showDetail(i.id, true) },
              el("td", {}, el("span", { class: "prio p-" + i.priority }, i.priority)),
              el("td", {}, i.siteName),
              el("td", {}, STATE[i.state] || i.state, i.unit ? el("div", { class: "dim" }, i.unit) : ""),
              el("td", { "data-since": i.openedAt }, ""),
              el("td", { "data-deadline": i.ackDeadline || "" }, ""),
              el("td", {}, why),
              el("td", {}, ack),
              el("td", {}, el("button", { onclick: ev => { ev.stopPropagation(); showDetail(i.id, true); } }, "Detaljer")));
            q.append(tr);
          }
          tick();
          const w = $("warnings"); w.replaceChildren();
          const names = Object.fromEntries(board.sites.map(s => [s.id, s.name]));
          for (const x of board.warnings.slice(0, 15)) w.append(el("tr", {}, el("td", { class: "dim" }, hm.format(x.time)), el("td", {}, names[x.site] || ""), el("td", {}, x.code), el("td", {}, x.message)));
          const u = $("units"); u.replaceChildren();
          for (const x of board.units) u.append(el("tr", {}, el("td", {}, x.callSign), el("td", { class: "dim" }, x.id), el("td", {}, x.status || "–"),
            el("td", { class: "dim" }, x.positionAt ? "position " + hm.format(x.positionAt) : "ingen position")));
          const v = $("visits"); v.replaceChildren();
          const label = { "on-time": "klar", late: "sen", missed: "missad", "re-planned": "omplanerad", planned: "planerad", "off-duty": "ej i tjänst" };
          for (const x of board.visits.filter(x => x.status !== "off-duty")) v.append(el("tr", {}, el("td", { class: "dim" }, hm.format(x.windowStart) + "–" + hm.format(x.windowEnd)),
            el("td", {}, x.unit), el("td", {}, x.siteName), el("td", { class: x.status === "missed" ? "bad" : x.status === "on-time" ? "ok" : x.status === "late" ? "late" : "dim" },
            (label[x.status] || x.status) + (x.checkedInAt ? " " + hm.format(x.checkedInAt) : ""))));
          for (const id of ["silenceSite", "checkSite"]) {
            const s = $(id); if (s.options.length) continue;
            for (const site of board.sites) s.append(el("option", { value: site.id }, site.name));
          }
          drawMap();
        }
        function tick() {
          $("clock").textContent = hms.format(now()) + " (Stockholm)";
          for (const td of document.querySelectorAll("td[data-since]")) td.textContent = duration(now() - Number(td.dataset.since));
          for (const td of document.querySelectorAll("td[data-deadline]")) {
            const d = Number(td.dataset.deadline);
            if (!d) { td.textContent = "–"; continue; }
            const left = d - now();
            td.textContent = (left < 0 ? "försenad " : "") + hm.format(d) + " (" + (left < 0 ? "-" : "") + duration(Math.abs(left)) + ")";
            td.className = left < 0 ? "late" : "";
          }
        }
        setInterval(() => { if (board) tick(); }, 1000);

        // Web Mercator, so optional XYZ tiles line up with the drawing.
        function project(lat, lon, z) {
          const n = 256 * Math.pow(2, z), s = Math.sin(lat * Math.PI / 180);
          return [(lon + 180) / 360 * n, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n];
        }
        function drawMap() {
          const W = 640, H = 460, pad = 40, NS = "http://www.w3.org/2000/svg";
          const pts = board.sites.map(s => [s.latitude, s.longitude]).concat(board.units.filter(u => u.latitude != null).map(u => [u.latitude, u.longitude]));
          if (!pts.length) return;
          let z = 18;
          const fit = zz => { const p = pts.map(([a, o]) => project(a, o, zz)); const xs = p.map(q => q[0]), ys = p.map(q => q[1]);
            return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]; };
          let b = fit(z);
          while (z > 3 && (b[2] - b[0] > W - 2 * pad || b[3] - b[1] > H - 2 * pad)) { z--; b = fit(z); }
          const ox = (b[0] + b[2]) / 2 - W / 2, oy = (b[1] + b[3]) / 2 - H / 2;
          const xy = (lat, lon) => { const p = project(lat, lon, z); return [p[0] - ox, p[1] - oy]; };
          const svg = document.createElementNS(NS, "svg");
          svg.setAttribute("viewBox", "0 0 " + W + " " + H);
          const add = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text != null) e.textContent = text; svg.append(e); return e; };
          if (board.tileURL) {
            const t0x = Math.floor(ox / 256), t0y = Math.floor(oy / 256);
            for (let tx = t0x; tx * 256 < ox + W; tx++) for (let ty = t0y; ty * 256 < oy + H; ty++)
              add("image", { href: board.tileURL.replace("{z}", z).replace("{x}", tx).replace("{y}", ty), x: tx * 256 - ox, y: ty * 256 - oy, width: 256, height: 256, opacity: 0.55 });
          }
          const sites = Object.fromEntries(board.sites.map(s => [s.id, s]));
          const byRoute = {};
          for (const v of board.visits) if (v.status !== "off-duty") (byRoute[v.route] = byRoute[v.route] || []).push(v);
          for (const stops of Object.values(byRoute)) {
            const line = stops.map(v => sites[v.site]).filter(Boolean).map(s => xy(s.latitude, s.longitude).join(",")).join(" ");
            add("polyline", { points: line, fill: "none", stroke: "#5b7fa6", "stroke-width": 1.5, "stroke-dasharray": "5 4" });
            for (const v of stops) { const s = sites[v.site]; if (!s) continue; const [x, y] = xy(s.latitude, s.longitude);
              const c = { "on-time": "#6fcf7f", late: "#f5a623", missed: "#ff6b6b", "re-planned": "#b39ddb" }[v.status] || "#7d8796";
              add("rect", { x: x + 7, y: y - 13, width: 7, height: 7, fill: c }).append(Object.assign(document.createElementNS(NS, "title"), { textContent: v.siteName + ": " + v.status })); }
          }
          const colour = { fire: "#c62828", "hold-up": "#8e24aa", "verified-intrusion": "#e65100", vandalism: "#b07d00", "unverified-intrusion": "#1565c0" };
          for (const s of board.sites) {
            const [x, y] = xy(s.latitude, s.longitude);
            if (s.supervisionFaults.length) add("circle", { cx: x, cy: y, r: 12, fill: "none", stroke: "#f5a623", "stroke-width": 2, "stroke-dasharray": "3 2" });
            const c = add("circle", { cx: x, cy: y, r: s.openIncidents ? 9 : 6, fill: s.openIncidents ? (colour[s.worstPriority] || "#607d8b") : "#2e7d32", stroke: "#fff", "stroke-width": 1, "data-site": s.id });
            c.append(Object.assign(document.createElementNS(NS, "title"), { textContent: s.name + (s.openIncidents ? " – " + s.openIncidents + " öppna larm" : "") +
              (s.supervisionFaults.length ? " – övervakningsfel: " + s.supervisionFaults.join("; ") : "") + (s.armed == null ? "" : s.armed ? " – larmat" : " – frånkopplat: " + s.unsetPartitions.join(", ")) }));
            add("text", { x: x + 10, y: y + 4, fill: "#cfd8e3", "font-size": 11 }, s.name);
          }
          for (const u of board.units) {
            if (u.latitude == null) continue;
            const [x, y] = xy(u.latitude, u.longitude);
            add("path", { d: `M${x},${y - 9} L${x + 7},${y + 6} L${x - 7},${y + 6} Z`, fill: "#4fc3f7", stroke: "#fff", "stroke-width": 1, "data-unit": u.id });
            add("text", { x: x + 9, y: y + 14, fill: "#4fc3f7", "font-size": 11 }, u.callSign + (u.status ? " (" + u.status + ")" : ""));
          }
          $("mapBox").replaceChildren(svg);
        }
        async function act(id, verb, body) {
          try { await api("/api/incidents/" + encodeURIComponent(id) + "/" + verb, { method: "POST", body }); toast("Skickat / sent: " + verb); }
          catch (e) { toast("Fel / error: " + e.message); }
        }
        async function showDetail(id, scroll) {
          selected = id;
          for (const tr of document.querySelectorAll("#queue tr")) tr.classList.toggle("sel", tr.dataset.incident === id);
          try {
            const d = await api("/api/incidents/" + encodeURIComponent(id));
            $("detail").classList.remove("hidden");
            $("detailTitle").textContent = d.incident.id + " · " + (d.timeline ? d.timeline.siteName : d.incident.site) + " · " + d.incident.state;
            $("timeline").replaceChildren(...(d.timeline ? d.timeline.entries : []).map(e =>
              el("div", { class: "entry" }, el("b", {}, hms.format(e.time)), el("b", {}, e.actor), e.text)));
            if (scroll) $("detail").scrollIntoView({ block: "nearest" });
          } catch (e) { toast(e.message); }
        }
        $("noteForm").addEventListener("submit", async ev => { ev.preventDefault(); if (selected && $("noteText").value) { await act(selected, "notes", { text: $("noteText").value }); $("noteText").value = ""; } });
        $("closeForm").addEventListener("submit", async ev => { ev.preventDefault(); if (selected) await act(selected, "close", { outcome: $("closeOutcome").value, reason: $("closeReason").value || $("closeOutcome").selectedOptions[0].textContent }); });
        $("silenceForm").addEventListener("submit", async ev => {
          ev.preventDefault();
          const target = $("silenceTarget").value.trim(), body = { site: $("silenceSite").value, minutes: Number($("silenceMinutes").value), reason: $("silenceReason").value || "underhåll" };
          if (target.startsWith("zone:")) body.zone = target.slice(5); else if (target) body.device = target;
          try { await api("/api/silences", { method: "POST", body }); toast("Tystad / silenced"); } catch (e) { toast("Fel / error: " + e.message); }
        });
        $("checkForm").addEventListener("submit", async ev => {
          ev.preventDefault();
          try { await api("/api/directed-checks", { method: "POST", body: { site: $("checkSite").value, reason: $("checkReason").value || "riktad kontroll" } }); toast("Kontroll beställd / check added"); }
          catch (e) { toast("Fel / error: " + e.message); }
        });
        function listen() {
          if (events) events.close();
          events = new EventSource("/api/events");
          events.addEventListener("hello", () => { $("live").textContent = "live: ansluten"; $("live").className = "ok"; scheduleReload(); });
          for (const kind of ["incident", "guard-request", "central", "on-call", "warning", "operator"]) events.addEventListener(kind, scheduleReload);
          // Positions arrive often: reload for them at most once a second.
          events.addEventListener("units", () => { if (!unitsTimer) unitsTimer = setTimeout(() => { unitsTimer = null; scheduleReload(); }, 1000); });
          events.onerror = () => { $("live").textContent = "live: återansluter…"; $("live").className = "bad"; };
        }
        async function start() {
          me = await api("/api/whoami");
          $("whoami").textContent = me.name + " (" + me.role + ")";
          $("login").classList.add("hidden"); $("app").classList.remove("hidden");
          await reload();
          listen();
        }
        (async () => {
          const m = location.hash.match(/token=([^&]+)/);
          if (m) { try { await login({ token: decodeURIComponent(m[1]) }); } catch (_) {} history.replaceState(null, "", location.pathname); }
          try { await start(); } catch (_) { showLogin(); }
        })();
        </script>
        </body>
        </html>
        """#
}
