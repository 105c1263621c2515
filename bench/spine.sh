#!/usr/bin/env bash
# Spine benchmark: devices -> gateway (embedded broker, SQLite, outbox) -> cloud Mosquitto, QoS 1 both sides,
# and the same workload through a plain Mosquitto bridge (../shared/bench/mosquitto-bridge-peer.sh).
#   bench/spine.sh [OUT_DIR]      (run from the repository root after `mvn -B -DskipTests package`)
# Prints and writes JSON reports: sustained events/s (--max), latency at 1,000 events/s, gateway CPU and RSS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-spine}
rm -rf "$out"; mkdir -p "$out"
sim="java -jar $root/device-sim/target/device-sim.jar"
peer=$root/../shared/bench/mosquitto-bridge-peer.sh
duration=${BENCH_DURATION:-30s}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cloud_port=$(free_port); mqtt_port=$(free_port); http_port=$(free_port)
mkdir -p "$out/cloud-data"
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$cloud_port" >"$out/cloud.conf"
mosquitto -c "$out/cloud.conf" >"$out/cloud.log" 2>&1 & cloud_pid=$!
trap 'kill $cloud_pid $gw_pid 2>/dev/null || true; "$peer" stop "$out/peer" 2>/dev/null || true' EXIT
gw_pid=""
sleep 0.5

# Debounce off: the simulated buttons press faster than a hand, and every message must become one event.
GATEWAY_BUTTONS_DEBOUNCE=0ms GATEWAY_DATA_DIR=$out/gw-data GATEWAY_CLOUD_URL=tcp://127.0.0.1:$cloud_port GATEWAY_MQTT_PORT=$mqtt_port \
GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_CLOUD_WINDOW=${BENCH_WINDOW:-1000} \
  java -Xmx192m -jar "$root/gateway/target/gateway.jar" --config "$root/config/gateway.yaml" >"$out/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done

cpu_ticks() { awk '{print $14+$15}' /proc/$gw_pid/stat; }
rss_kb() { awk '/VmRSS/{print $2}' /proc/$gw_pid/status; }
measure() { # name, sim args...
  local name=$1; shift
  local t0 c0; t0=$(date +%s.%N); c0=$(cpu_ticks)
  ( while kill -0 $gw_pid 2>/dev/null; do rss_kb >>"$out/$name.rss"; sleep 1; done ) & local sampler=$!
  $sim bench --mqtt tcp://127.0.0.1:$mqtt_port --cloud-url tcp://127.0.0.1:$cloud_port --pdas 50 --buttons 50 \
       --duration "$duration" --report "$out/$name.json" "$@" | tee "$out/$name.txt"
  kill $sampler 2>/dev/null || true
  local t1 c1; t1=$(date +%s.%N); c1=$(cpu_ticks)
  echo "gateway CPU: $(echo "scale=2; ($c1-$c0)/$(getconf CLK_TCK)/($t1-$t0)" | bc) cores; peak RSS: $(sort -n "$out/$name.rss" | tail -1) kB" | tee -a "$out/$name.txt"
}

# Latency first, on a fresh database: after the --max run the gateway checkpoints a WAL of hundreds of MB,
# which would be measured as the latency of the next run.
echo "== gateway: latency at 1,000 events/s"
measure gateway-1000 --rate 1000 --warmup 10s
echo "== gateway: sustained throughput (--max)"
measure gateway-max --max --window ${BENCH_SIM_WINDOW:-4000}

kill $gw_pid; wait $gw_pid 2>/dev/null || true; gw_pid=""

edge=$(free_port); cloud2=$(free_port)
"$peer" start "$edge" "$cloud2" "$out/peer"
echo "== mosquitto bridge: sustained throughput (--max)"
$sim bench --raw --mqtt tcp://127.0.0.1:$edge --cloud-url tcp://127.0.0.1:$cloud2 --pdas 50 --buttons 50 \
     --duration "$duration" --max --window ${BENCH_SIM_WINDOW:-4000} --report "$out/bridge-max.json" | tee "$out/bridge-max.txt"
echo "== mosquitto bridge: latency at 1,000 events/s"
$sim bench --raw --mqtt tcp://127.0.0.1:$edge --cloud-url tcp://127.0.0.1:$cloud2 --pdas 50 --buttons 50 \
     --duration "$duration" --rate 1000 --warmup 10s --report "$out/bridge-1000.json" | tee "$out/bridge-1000.txt"
"$peer" stop "$out/peer"
echo "reports in $out"
