#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts a Mosquitto on a free
# loopback port, runs propertywatchd with the example Upplands-Bro configuration, and lets the
# simulators (alarm panels, cameras, patrol cars) play a compressed night through it.
# The night runs on the daemon's virtual clock (18:00–06:00 tonight, Europe/Stockholm), so it
# plays as a night whatever time it is now. The guard company's central is played by a tiny
# receiver (deploy/central-receiver.py). When the night is over its report is written to the
# run folder, and the daemon stays up (dashboard and API) until Ctrl-C, which stops
# everything started here.
#   SPEED=120 bash deploy/run-night.sh     # 120× real time (default): 12 hours in 6 minutes
#   SPEED=0 bash deploy/run-night.sh       # as fast as the daemon answers
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
source deploy/lib-broker.sh

speed=${SPEED:-120}
config=deploy/config/upplands-bro.yaml
run=run/night-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"

swift build -c release --product propertywatchd
swift build -c release --product pw-sim
swift build -c release --product pwctl
bin=$(swift build -c release --show-bin-path)

# EXAMPLE credentials from deploy/config/users.EXAMPLE: published demo secrets, never for production.
users=deploy/config/users.EXAMPLE
demo_token=EXAMPLE-demo-operator-token

daemon_pid=
central_pid=
cleanup() {
    [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    [[ -n $central_pid ]] && kill "$central_pid" 2>/dev/null || true
    stop_broker
}
trap cleanup EXIT
start_broker "$PWD/$run/broker"
http_port=$(free_port)
dashboard="http://127.0.0.1:$http_port/"
echo "night: Mosquitto on 127.0.0.1:$BROKER_PORT, journal and logs in $run/"

# The guard company's central: the example configuration escalates to 127.0.0.1:8490.
central_port=$(sed -n 's#.*central_webhook_url: http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$config")
if [[ -n $central_port ]]; then
    if python3 - "$central_port" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(0.5)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0 else 1)
PY
    then
        python3 deploy/central-receiver.py "$central_port" > "$run/central.log" 2>&1 &
        central_pid=$!
        echo "night: the guard company's central is played on 127.0.0.1:$central_port (log $run/central.log)"
    else
        echo "night: port $central_port is taken; escalations go to whatever listens there"
    fi
fi

"$bin/propertywatchd" run --config "$config" --broker-port "$BROKER_PORT" \
    --journal "$run/journal.sqlite" --virtual-clock --http-port "$http_port" \
    --users-file "$users" --report-directory "$run/reports" > "$run/propertywatchd.log" 2>&1 &
daemon_pid=$!
# Wait for the daemon's retained online status (published once it is connected).
mosquitto_sub -p "$BROKER_PORT" -t propertywatch/v1/daemon/status -C 1 -W 60 > /dev/null
echo "night: dashboard ${dashboard}#token=$demo_token"
echo "night:   or log in at $dashboard as demo / demo (EXAMPLE credentials, operator role)"
export PWCTL_URL=$dashboard PWCTL_TOKEN=$demo_token

# Operators' view: guard requests, incident updates and warnings as they happen.
mosquitto_sub -p "$BROKER_PORT" -v -t 'propertywatch/v1/units/+/requests' -t 'propertywatch/v1/incidents/#' \
    -t propertywatch/v1/warnings -t 'propertywatch/v1/escalations/#' > "$run/operator-view.log" &
"$bin/pw-sim" night --config "$config" --port "$BROKER_PORT" --virtual-clock --speed "$speed" | tee "$run/night.log"

echo
echo "night: done. The night's report (pwctl report --night tonight):"
"$bin/pwctl" report --night tonight --format text | tee "$run/report.txt"
"$bin/pwctl" report --night tonight --format html -o "$run/report.html" > /dev/null
"$bin/pwctl" report --night tonight --format json -o "$run/report.json" > /dev/null
"$bin/pwctl" report --night tonight --format csv -o "$run/report.csv" > /dev/null
curl -s "${dashboard}metrics" | grep -E '^propertywatch_(messages|guard|incidents_opened|escalations)' || true
echo "night: report $run/report.html (also .txt, .json, .csv); daemon log $run/propertywatchd.log;"
echo "night: operator view $run/operator-view.log; central $run/central.log"
echo
echo "night: the daemon stays up: dashboard ${dashboard}#token=$demo_token (or demo / demo)"
echo "night: try  PWCTL_URL=$dashboard PWCTL_TOKEN=$demo_token $bin/pwctl incidents --all"
echo "night: Ctrl-C stops the daemon, the broker and the central."
wait "$daemon_pid" || true
daemon_pid=
