#!/usr/bin/env bash
# Coverage-guided fuzzing of the inbound decoder (MessageDecoder) with libFuzzer and
# AddressSanitizer. Builds Tests/Fuzz/DecoderFuzzer.swift with the core's sources
# (swiftc -sanitize=fuzzer,address) into .build-fuzz/, then runs it from the corpus in
# Tests/Fuzz/corpus/decoder (new inputs go to a scratch directory, not into the repository).
#
#   bash deploy/fuzz.sh [N]            N million inputs (default 1)
#   bash deploy/fuzz.sh --seconds S    a time-bounded pass (CI: run-tests.sh runs 45 s)
#   bash deploy/fuzz.sh --merge [N]    also merge inputs that add coverage into the corpus
#
# Prints libFuzzer's summary (inputs run, coverage) and exits non-zero on a crash, leaving
# the crashing input in .build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.build-fuzz
runs=$((1000000))
seconds=
merge=
while (($#)); do
    case $1 in
        --seconds) seconds=$2; shift 2 ;;
        --merge) merge=1; shift ;;
        *) runs=$(($1 * 1000000)); shift ;;
    esac
done

mkdir -p "$out/CPrefetch" "$out/crashes"
sources=$(find Sources/PropertyWatchCore -name '*.swift' | sort)
binary=$out/decoder-fuzzer
if [[ ! -x $binary ]] || [[ -n $(find Sources/PropertyWatchCore Sources/CPrefetch Tests/Fuzz/DecoderFuzzer.swift -newer "$binary" -name '*.[chs]*' -print -quit) ]]; then
    echo "fuzz: building $binary"
    cat > "$out/CPrefetch/module.modulemap" <<MAP
module CPrefetch {
    header "$root/Sources/CPrefetch/include/CPrefetch.h"
    export *
}
MAP
    clang -c -O1 -fsanitize=fuzzer-no-link,address -I Sources/CPrefetch/include Sources/CPrefetch/CPrefetch.c -o "$out/CPrefetch.o"
    # shellcheck disable=SC2086
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name PropertyWatchCore \
        -I "$out/CPrefetch" $sources Tests/Fuzz/DecoderFuzzer.swift "$out/CPrefetch.o" -o "$binary" \
        2> >(grep -v "Cannot export local symbol" >&2)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
limits=(-max_len=8192 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/crashes/" -print_final_stats=1)
if [[ -n $seconds ]]; then
    limits+=(-max_total_time="$seconds")
else
    limits+=(-runs="$runs")
fi
echo "fuzz: ${seconds:+$seconds s}${seconds:-$runs inputs} from Tests/Fuzz/corpus/decoder"
"$binary" "${limits[@]}" "$work" Tests/Fuzz/corpus/decoder 2>&1 \
    | grep -v -e "^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)" -e '^"' -e "recommended dictionary" | tail -n 25
status=${PIPESTATUS[0]}
if [[ -n $merge ]] && ((status == 0)); then
    "$binary" -merge=1 Tests/Fuzz/corpus/decoder "$work" 2>&1 | tail -n 2
fi
exit "$status"
