#!/usr/bin/env bash
# Soak test, bounded in time: pw-sim plays load (alarm panels with end-to-end acknowledgements,
# heartbeats, cameras) through propertywatchd while faults are injected:
#   kill -9 of the daemon (restarted 2 s later), broker restarts (SIGTERM, persistent
#   sessions), and a full disk (the journal is on a small tmpfs that is filled, then freed).
# At the end it reports events published, journaled, acknowledged and lost (acknowledged but
# not in the journal), and duplicate guard requests (the same request id delivered twice).
#
#   bash deploy/soak.sh [SECONDS]        load for SECONDS (default 120, at most 300)
#   RATE=300 bash deploy/soak.sh 60      messages per second (default 200)
#
# Needs root for the tmpfs (without it the disk-full fault is skipped and says so).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
source deploy/lib-broker.sh

seconds=${1:-120}
((seconds > 300)) && seconds=300
rate=${RATE:-300}
run=$PWD/run/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run/broker" "$run/journal"
# The example configuration, with no WAL preallocation and 1 MiB growth chunks so that a full
# disk is felt within seconds instead of after 24 MiB of slack.
config=$run/propertywatchd.yaml
sed 's/^  retention_days: 90$/  retention_days: 90\n  wal_preallocate_mb: 0\n  growth_chunk_mb: 1/' deploy/config/upplands-bro.yaml > "$config"
grep -q "growth_chunk_mb: 1" "$config" || { echo "soak: could not adapt the journal settings" >&2; exit 1; }

swift build --product propertywatchd
swift build --product pw-sim
bin=$(swift build --show-bin-path)

disk=
if [[ $(id -u) -eq 0 ]] && mount -t tmpfs -o size=96m tmpfs "$run/journal"; then disk=1; fi
journal=$run/journal/journal.sqlite

broker_port=$(free_port)
http_port=$(free_port)
cat > "$run/broker/mosquitto.conf" <<CONF
listener $broker_port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $run/broker/
autosave_interval 1
max_queued_messages 0
log_dest file $run/broker/mosquitto.log
CONF
if [[ $(id -u) -eq 0 ]] && id mosquitto >/dev/null 2>&1; then chown mosquitto "$run/broker"; fi

broker_pid= daemon_pid= sim_pid= subs=()
start_soak_broker() {
    mosquitto -c "$run/broker/mosquitto.conf" &
    broker_pid=$!
    for _ in $(seq 1 100); do
        mosquitto_pub -p "$broker_port" -t propertywatch/probe -n -q 0 2>/dev/null && return 0
        sleep 0.1
    done
    echo "soak: broker did not start" >&2; return 1
}
start_daemon() {
    "$bin/propertywatchd" run --config "$config" --broker-port "$broker_port" --journal "$journal" \
        --http-port "$http_port" >> "$run/propertywatchd.log" 2>&1 &
    daemon_pid=$!
}
cleanup() {
    [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null || true
    [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    for pid in "${subs[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -n $broker_pid ]] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
    rm -f "$run/journal/filler"
    if [[ -n $disk ]]; then
        # Keep the journal: copy it off the tmpfs before unmounting.
        cp "$run/journal/"journal.sqlite* "$run/" 2>/dev/null || true
        umount "$run/journal" 2>/dev/null || true
    fi
}
trap cleanup EXIT

start_soak_broker
# Persistent QoS 1 subscribers: what units receive, and the daemon's acknowledgements.
mosquitto_sub -p "$broker_port" -c -i soak-requests -q 1 -v -t 'propertywatch/v1/units/+/requests' > "$run/requests.log" &
subs+=($!)
mosquitto_sub -p "$broker_port" -c -i soak-acks -q 1 -v -t 'propertywatch/v1/sites/+/acks/+' > "$run/acks.log" &
subs+=($!)
start_daemon
mosquitto_sub -p "$broker_port" -t propertywatch/v1/daemon/status -C 1 -W 60 > /dev/null
echo "soak: broker 127.0.0.1:$broker_port, journal ${disk:+on a 96 MiB tmpfs }$journal, ${seconds}s at $rate msg/s; logs in $run/"

"$bin/pw-sim" load --config "$config" --port "$broker_port" --duration "$seconds" --rate "$rate" \
    --count $((seconds * rate)) --devices 200 > "$run/load.log" 2>&1 &
sim_pid=$!

faults=()
alive() { # notes a daemon that exited on its own (it must not)
    kill -0 "$daemon_pid" 2>/dev/null || { faults+=("DAEMON HAD EXITED ON ITS OWN, restarted"); start_daemon; }
}
at() { # at SECONDS: sleep until that many seconds after the load started
    local target=$1
    while (( $(date +%s) - start < target )); do sleep 0.2; done
}
start=$(date +%s)
step=$((seconds / 6))
at $step
alive
kill -9 "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true
faults+=("kill -9 daemon at ${step}s"); sleep 2; start_daemon
at $((2 * step))
alive
kill -TERM "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true
faults+=("broker restart at $((2 * step))s"); sleep 1; start_soak_broker
if [[ -n $disk ]]; then
    at $((3 * step))
    dd if=/dev/zero of="$run/journal/filler" bs=1M 2>/dev/null || true
    faults+=("disk full at $((3 * step))s for $((step * 2 / 3))s")
    sleep $((step * 2 / 3))
    rm -f "$run/journal/filler"
fi
at $((4 * step))
alive
kill -9 "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true
faults+=("kill -9 daemon at $((4 * step))s"); sleep 2; start_daemon
at $((5 * step))
alive
kill -TERM "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true
faults+=("broker restart at $((5 * step))s"); sleep 1; start_soak_broker

wait "$sim_pid" || true
sim_pid=
alive
sleep 3  # the last acknowledgements and requests reach the subscribers
kill -TERM "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true
daemon_pid=
for pid in "${subs[@]}"; do kill "$pid" 2>/dev/null || true; done
subs=()

outages=$(grep -c "journal.commit.failed" "$run/propertywatchd.log" || true)
recoveries=$(grep -c "journal.commit.recovered" "$run/propertywatchd.log" || true)
faults+=("journal outages seen by the daemon: $outages, recovered without a restart: $recoveries")
printf 'soak: faults: %s\n' "$(IFS=';'; echo "${faults[*]}" | sed 's/;/; /g')"
cat "$run/load.log" | grep -E '^(load|daemon):' || true
python3 - "$journal" "$run/acks.log" "$run/requests.log" "$run/load.log" <<'PY'
import json, re, sqlite3, sys
journal, acks_log, requests_log, load_log = sys.argv[1:]
db = sqlite3.connect(journal)
rows = db.execute("SELECT site, device, seq FROM event WHERE topic LIKE '%/alarms/%' AND seq IS NOT NULL").fetchall()
journaled = set(rows)
acknowledged = set()
for line in open(acks_log, errors="replace"):
    try:
        body = json.loads(line.split(" ", 1)[1])
    except Exception:
        continue
    for seq in body.get("seqs", [body.get("seq")]):
        acknowledged.add((body["site"], body["device"], seq))
seen = {}
for line in open(requests_log, errors="replace"):
    try:
        body = json.loads(line.split(" ", 1)[1])
    except Exception:
        continue
    seen[body.get("request")] = seen.get(body.get("request"), 0) + 1
published, alarms_published = 0, "?"
for line in open(load_log, errors="replace"):
    m = re.match(r"load: (\d+) messages", line)
    if m: published = int(m.group(1))
    m = re.search(r"intrusion (\d+).*fire (\d+)", line)
    if m: alarms_published = int(m.group(1)) + int(m.group(2))
lost = acknowledged - journaled
print(f"soak: published {published} messages ({alarms_published} alarm events); "
      f"journaled {len(journaled)} distinct alarm events ({len(rows)} rows, {len(rows) - len(journaled)} retransmitted copies); "
      f"acknowledged {len(acknowledged)}; lost (acknowledged, not journaled) {len(lost)}")
duplicates = sum(n - 1 for n in seen.values() if n > 1)
print(f"soak: guard requests delivered {sum(seen.values())} ({len(seen)} distinct); duplicate dispatches {duplicates}")
sys.exit(1 if lost else 0)
PY
