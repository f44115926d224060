#!/usr/bin/env bash
# The README's test command: installs what is missing, starts a Mosquitto on a free loopback
# port for the integration tests, builds and runs the whole test suite and the dashboard's
# browser test (headless Chromium against the real daemon; its screenshot is kept in
# run/test-artefacts/), and stops the broker again (also on failure). Without arguments it
# also runs a 45 s fuzzing pass over the decoder (FUZZ_SECONDS).
# PROPERTYWATCH_SCREENSHOTS=1 also copies the screenshot to deploy/docs/screenshots/.
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

# The dashboard in a real browser, then a bounded fuzzing pass over the decoder (libFuzzer +
# AddressSanitizer, from the corpus in Tests/Fuzz/corpus; see deploy/fuzz.sh); both skipped
# when only some tests were asked for.
if (($# == 0)); then
    artefacts=run/test-artefacts
    mkdir -p "$artefacts"
    screenshot=()
    [[ -n ${PROPERTYWATCH_SCREENSHOTS:-} ]] && screenshot=(--screenshot deploy/docs/screenshots/dashboard-acknowledged.png)
    python3 deploy/tests/dashboard_browser_test.py --daemon "$(swift build --show-bin-path)/propertywatchd" \
        --broker-port "$BROKER_PORT" --artefacts "$artefacts" "${screenshot[@]}"
    bash deploy/fuzz.sh --seconds "${FUZZ_SECONDS:-45}"
fi
