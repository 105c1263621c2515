#!/usr/bin/env bash
# Buttons and members benchmark: the per-press and per-recognition work (debounce, reorder/notice,
# member lookup by keyed hash, visits) through the real gateway, embedded broker and a cloud Mosquitto.
#   bench/buttons-members.sh [OUT_DIR]   (run from the repository root after `mvn -B -DskipTests package`)
# 1. presses only, debounce off so every press becomes an event: latency at 500/s and sustained events/s (--max)
#    (shipped bindings: staff-call buttons, so each press opens a notice or finds the open one);
# 2. recognitions only (the 4 shipped cameras), against 10,000 cached members, at 1,000/s: acknowledged rate,
#    unanswered, and what they became.
# 3. a baseline in between: PDA scans only at --max, so the presses' figure can be read against the same load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-buttons-members}
rm -rf "$out"; mkdir -p "$out"
sim="java -jar $root/device-sim/target/device-sim.jar"
duration=${BENCH_DURATION:-20s}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cloud_port=$(free_port); mqtt_port=$(free_port); http_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$cloud_port" >"$out/cloud.conf"
mosquitto -c "$out/cloud.conf" >"$out/cloud.log" 2>&1 & cloud_pid=$!
gw_pid=""
trap 'kill $cloud_pid $gw_pid 2>/dev/null || true' EXIT
sleep 0.5
GATEWAY_BUTTONS_DEBOUNCE=0ms GATEWAY_DATA_DIR=$out/gw-data GATEWAY_CLOUD_URL=tcp://127.0.0.1:$cloud_port \
GATEWAY_MQTT_PORT=$mqtt_port GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_CLOUD_WINDOW=1000 \
  java -Xmx192m -jar "$root/gateway/target/gateway.jar" --config "$root/config/gateway.yaml" >"$out/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done

echo "== presses: latency at 500 events/s"
$sim bench --mqtt tcp://127.0.0.1:$mqtt_port --cloud-url tcp://127.0.0.1:$cloud_port --kinds button --buttons 50 \
     --rate 500 --warmup 5s --duration "$duration" --report "$out/presses-500.json" | tee "$out/presses-500.txt"
echo "== presses: sustained (--max)"
$sim bench --mqtt tcp://127.0.0.1:$mqtt_port --cloud-url tcp://127.0.0.1:$cloud_port --kinds button --buttons 50 \
     --max --window 2000 --duration "$duration" --report "$out/presses-max.json" | tee "$out/presses-max.txt"

echo "== baseline in the same conditions: PDA scans only (no capability work), sustained (--max)"
$sim bench --mqtt tcp://127.0.0.1:$mqtt_port --cloud-url tcp://127.0.0.1:$cloud_port --kinds pda --pdas 50 \
     --max --window 2000 --duration "$duration" --report "$out/scans-max.json" | tee "$out/scans-max.txt"

echo "== recognitions at 1,000/s against 10,000 members"
$sim members --url tcp://127.0.0.1:$cloud_port --members 10000
sleep 3
$sim devices --mqtt tcp://127.0.0.1:$mqtt_port --kinds camera --cameras 4 --rate 1000 --duration "$duration" \
     | tail -2 | tee "$out/recognitions-1000.txt"
curl -s http://127.0.0.1:$http_port/metrics | grep -E '^gateway_member_recognitions_total' | tee -a "$out/recognitions-1000.txt"
echo "reports in $out"
