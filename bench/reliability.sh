#!/usr/bin/env bash
# Reliability runs, longer than the CI versions of the same tests (docs/reliability.md):
#   bench/reliability.sh [OUT_DIR]     (run from the repository root, as root for the disk-full test;
#                                       needs mosquitto; builds first with `mvn -o -q -DskipTests install`)
# Knobs: KILLS (kill -9 rounds, default 20), FLOOD_SECONDS (default 120), FUZZ_CASES (decoder cases, default 1000000).
# Prints the tests' summary lines and keeps the whole output in OUT_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-reliability}
mkdir -p "$out"
cd "$root"
mvn -o -q -DskipTests install
run() {
  local name=$1; shift
  echo "== $name"
  # The tests' @Timeout values are sized for the CI lengths; the longer runs go without them.
  mvn -o test -pl gateway -Dsurefire.failIfNoSpecifiedTests=false -Dcheckstyle.skip \
    -Djunit.jupiter.execution.timeout.mode=disabled "$@" >"$out/$name.log" 2>&1 \
    || { echo "$name FAILED, see $out/$name.log"; }
  grep -E "summary|seed|kill -9 #|fuzz |cloud-stall:|disk-full|Tests run:" "$out/$name.log" | grep -v "^\[INFO\] *$" || true
}
run crash  -Dtest=CrashSafetyTest -Dcrash.kills="${KILLS:-20}"
run flood  -Dtest=FloodTest -Dflood.seconds="${FLOOD_SECONDS:-120}"
run fuzz   -Dtest=PayloadFuzzTest -Dfuzz.cases="${FUZZ_CASES:-1000000}"
run faults -Dtest='CloudStallTest,CloudOutageTest,DiskFullTest,DatabaseRecoveryTest,CorruptDatabaseStartTest'
