#!/usr/bin/env bash
# The README's test command: installs what is missing, starts a Mosquitto on a free loopback
# port for the integration tests, builds and runs the whole test suite, and stops the broker
# again (also on failure). Without arguments it also runs a 45 s fuzzing pass (FUZZ_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
source deploy/lib-broker.sh

work=$(mktemp -d)
trap 'stop_broker; rm -rf "$work"' EXIT
start_broker "$work/broker"
echo "run-tests: Mosquitto on 127.0.0.1:$BROKER_PORT"
export PROPERTYWATCH_TEST_BROKER_PORT=$BROKER_PORT

swift build --build-tests
swift test --skip-build "$@"

# The full suite (no arguments) ends with a bounded fuzzing pass over the decoder
# (libFuzzer + AddressSanitizer, from the corpus in Tests/Fuzz/corpus; see deploy/fuzz.sh).
if (($# == 0)); then
    bash deploy/fuzz.sh --seconds "${FUZZ_SECONDS:-45}"
fi
