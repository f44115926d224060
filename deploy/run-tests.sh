#!/usr/bin/env bash
# The README's test command: installs what is missing, starts a Mosquitto on a free loopback
# port for the integration tests, builds and runs the whole test suite, and stops the broker
# again (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
source deploy/lib-broker.sh

work=$(mktemp -d)
trap 'stop_broker; rm -rf "$work"' EXIT
start_broker "$work/broker"
echo "run-tests: Mosquitto on 127.0.0.1:$BROKER_PORT"
export PROPERTYWATCH_TEST_BROKER_PORT=$BROKER_PORT
# The virtualenv with the dc09-spt dialler (setup.sh); its tests fail rather than skip when set.
export PROPERTYWATCH_DC09_PYTHON=$PWD/.build-venv/dc09/bin/python

swift build --build-tests
swift test --skip-build "$@"
