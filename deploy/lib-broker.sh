# Sourced by the run scripts: start_broker DIR starts a Mosquitto on a free loopback port,
# sets BROKER_PORT and BROKER_PID, and stop_broker stops it.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_broker() {
    local dir=$1
    mkdir -p "$dir"
    BROKER_PORT=$(free_port)
    cat > "$dir/mosquitto.conf" <<CONF
listener $BROKER_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $dir/
max_queued_messages 0
log_dest file $dir/mosquitto.log
CONF
    # Mosquitto drops root privileges to the mosquitto user; let it write its directory.
    if [[ $(id -u) -eq 0 ]] && id mosquitto >/dev/null 2>&1; then chown mosquitto "$dir"; fi
    mosquitto -c "$dir/mosquitto.conf" &
    BROKER_PID=$!
    for _ in $(seq 1 100); do
        mosquitto_pub -p "$BROKER_PORT" -t propertywatch/probe -n -q 0 2>/dev/null && return 0
        sleep 0.1
    done
    echo "broker did not start; see $dir/mosquitto.log" >&2
    return 1
}

stop_broker() {
    [[ -n ${BROKER_PID:-} ]] || return 0
    kill "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
    BROKER_PID=
}
