#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts a Mosquitto on a free
# loopback port, runs propertywatchd with the example Upplands-Bro configuration, and lets the
# simulators (alarm panels, cameras, patrol cars) play a compressed night through it.
# The night runs on the daemon's virtual clock (18:00–06:00 tonight, Europe/Stockholm), so it
# plays as a night whatever time it is now. Everything started here is stopped at the end.
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
bin=$(swift build -c release --show-bin-path)

daemon_pid=
cleanup() {
    [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    stop_broker
}
trap cleanup EXIT
start_broker "$PWD/$run/broker"
http_port=$(free_port)
echo "night: Mosquitto on 127.0.0.1:$BROKER_PORT, journal and logs in $run/"
echo "night: dashboard http://127.0.0.1:$http_port/ (open it while the night plays)"

"$bin/propertywatchd" run --config "$config" --broker-port "$BROKER_PORT" \
    --journal "$run/journal.sqlite" --virtual-clock --http-port "$http_port" > "$run/propertywatchd.log" 2>&1 &
daemon_pid=$!
# Wait for the daemon's retained online status (published once it is connected).
mosquitto_sub -p "$BROKER_PORT" -t propertywatch/v1/daemon/status -C 1 -W 60 > /dev/null

# Operators' view: guard requests, incident updates and warnings as they happen.
mosquitto_sub -p "$BROKER_PORT" -v -t 'propertywatch/v1/units/+/requests' -t 'propertywatch/v1/incidents/#' \
    -t propertywatch/v1/warnings -t 'propertywatch/v1/escalations/#' > "$run/operator-view.log" &
"$bin/pw-sim" night --config "$config" --port "$BROKER_PORT" --virtual-clock --speed "$speed" | tee "$run/night.log"

echo
echo "night: done. Incidents in the journal:"
sqlite3 -header -column "$run/journal.sqlite" \
    "SELECT id, site, state, priority, last_cause FROM incident ORDER BY opened_at" 2>/dev/null || true
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^propertywatch_(messages|guard|rejected)' || true
echo "night: daemon log $run/propertywatchd.log, operator view $run/operator-view.log"
