#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium, driven over the DevTools protocol
(--remote-debugging-pipe, so only the standard library is needed), against a real
propertywatchd and a real Mosquitto.

It logs in as the EXAMPLE demo operator, waits until the page's live event stream is
connected, publishes a fire alarm on the broker, waits for the incident to appear in the
alarm queue (pushed, the page does not poll), acknowledges it by clicking the button,
waits for the acknowledgement by "demo" to show, saves a screenshot, and checks through
the API that the audit log names the operator.

usage: dashboard_browser_test.py --daemon BIN --broker-port N --artefacts DIR [--screenshot PATH]
Exit status 0 when every check passed. Every wait is bounded (WAIT seconds).
"""
import argparse, base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

WAIT = 30.0
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OPERATOR_TOKEN = "EXAMPLE-demo-operator-token"
ADMIN_TOKEN = "EXAMPLE-demo-admin-token"


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (answers out)."""

    def __init__(self, binary, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():
            # Copy both ends out of the way first, so neither is clobbered, then onto 3 and 4
            # (dup2 makes them inheritable; close_fds=False keeps them).
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--remote-debugging-pipe", "--user-data-dir=" + profile,
             "--window-size=1500,1050", "--lang=sv-SE", "about:blank"],
            close_fds=False, preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.session = None

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    return answer.get("result", {})
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raise TimeoutError(method)

    def attach(self):
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False)["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out after {WAIT:.0f} s waiting for {what} ({expression})")

    def click(self, selector):
        rect = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": rect[0], "y": rect[1], "button": "left", "clickCount": 1})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, token=None, method="GET", body=None):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--daemon", required=True)
    parser.add_argument("--broker-port", type=int, required=True)
    parser.add_argument("--artefacts", required=True)
    parser.add_argument("--screenshot", help="also copy the screenshot here")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("dashboard browser test: chromium is not installed (deploy/setup.sh installs it)")
        return 1
    os.makedirs(args.artefacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="pw-browser-")
    http_port = free_port()
    config = os.path.join(work, "propertywatchd.yaml")
    with open(config, "w") as f:
        f.write(f"""
broker: {{host: 127.0.0.1, port: {args.broker_port}, client_id: pw-browser-{os.getpid()}}}
journal: {{path: {work}/journal.sqlite}}
http: {{host: 127.0.0.1, port: {http_port}, users_file: {REPO}/deploy/config/users.EXAMPLE}}
sites:
  - id: broskolan
    name: Broskolan
    kind: school
    address: Skolvägen 1, Bro
    location: {{lat: 59.5118, lon: 17.6336}}
    zones: [{{id: a, name: A-huset}}]
    devices: [{{id: smoke-a, kind: smoke, zone: a}}]
  - id: brohuset
    name: Brohuset
    kind: civic
    address: Bro
    location: {{lat: 59.5135, lon: 17.6365}}
    zones: [{{id: entre, name: Entré}}]
    devices: [{{id: pir-entre, kind: pir, zone: entre}}]
patrol:
  units:
    - {{id: P1, call_sign: Väktare 31}}
  shifts:
    - {{id: always, units: [P1], weekdays: [1, 2, 3, 4, 5, 6, 7], start: "12:00", end: "11:59"}}
  routes:
    - id: p1-bro
      unit: P1
      stops:
        - {{site: brohuset, window: "20:30-21:15", dwell_minutes: 10}}
        - {{site: broskolan, window: "21:15-21:45", dwell_minutes: 10}}
""")
    log = open(os.path.join(args.artefacts, "propertywatchd.log"), "w")
    daemon = subprocess.Popen([args.daemon, "run", "--config", config], stdout=log, stderr=subprocess.STDOUT)
    browser = None
    base = f"http://127.0.0.1:{http_port}"
    checks = 0
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                if http(base + "/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise AssertionError("the daemon did not come up")
            time.sleep(0.1)
        status, _ = http(base + "/api/board")
        assert status == 401, f"/api/board without credentials answered {status}, not 401"
        checks += 1

        browser = Browser(chromium, os.path.join(work, "profile"))
        browser.attach()
        browser.call("Page.navigate", {"url": f"{base}/#token={OPERATOR_TOKEN}"})
        browser.wait_for("document.querySelector('[data-role=whoami]')?.textContent.includes('demo (operator)')", "the page to log in as demo")
        browser.wait_for("document.getElementById('live').textContent.includes('ansluten')", "the live event stream")
        browser.wait_for("document.querySelector('#mapBox svg circle[data-site=broskolan]') !== null", "the map")
        checks += 1

        now_ms = int(time.time() * 1000)
        alarm = {"v": 1, "site": "broskolan", "device": "smoke-a", "zone": "a", "class": "fire", "seq": 1, "id": "smoke-a-1", "time": now_ms}
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(args.broker_port), "-q", "1",
                        "-t", "propertywatch/v1/sites/broskolan/alarms/smoke-a", "-m", json.dumps(alarm)], check=True, timeout=WAIT)
        incident = browser.wait_for("document.querySelector('#queue tr[data-incident]')?.dataset.incident", "the incident in the alarm queue")
        site = browser.evaluate("document.querySelector('#queue tr[data-incident] td:nth-child(2)').textContent")
        assert site == "Broskolan", f"the queue shows the site as {site!r}, not its name"
        checks += 1

        browser.click("#queue tr[data-incident] button[data-action=ack]")
        browser.wait_for("document.querySelector('#queue tr[data-incident] [data-role=acked]')?.textContent.includes('demo')", "the acknowledgement by demo")
        checks += 1
        browser.click("#queue tr[data-incident] td:nth-child(2)")
        browser.wait_for("document.querySelectorAll('#timeline .entry').length >= 2", "the incident's timeline")
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1500, "height": 1050, "deviceScaleFactor": 1, "mobile": False})
        browser.evaluate("window.scrollTo(0, 0)")
        shot = os.path.join(args.artefacts, "dashboard.png")
        browser.screenshot(shot)
        if args.screenshot:
            shutil.copyfile(shot, args.screenshot)
        checks += 1

        status, body = http(base + "/api/audit", token=ADMIN_TOKEN)
        assert status == 200, f"/api/audit answered {status}"
        actions = json.loads(body)["actions"]
        assert any(a["action"] == "acknowledge" and a["author"] == "demo" and a["incident"] == incident for a in actions), f"no acknowledgement by demo in the audit: {actions}"
        checks += 1
        print(f"dashboard browser test: incident {incident} appeared live and was acknowledged by demo; screenshot {shot}")
        print(f"{checks} passed, 0 failed")
        return 0
    except (AssertionError, RuntimeError, TimeoutError, subprocess.SubprocessError) as error:
        print(f"dashboard browser test FAILED: {error}")
        if browser:
            try:
                browser.screenshot(os.path.join(args.artefacts, "dashboard-failure.png"))
            except Exception:
                pass
        print(f"{checks} passed, 1 failed")
        return 1
    finally:
        if browser:
            browser.close()
        daemon.terminate()
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
