#!/usr/bin/env bash
# Picking benchmark: 50 PDAs picking online orders through the gateway, scan-to-reply latency at the PDA.
#   bench/picking.sh [OUT_DIR]      (run from the repository root after `mvn -B -DskipTests package`)
# Starts a cloud Mosquitto (the orders and catalog arrive as cloud commands) and the gateway jar (-Xmx192m,
# shipped config, fresh data/), then runs `device-sim pickers`: 50 PDAs log in, take their pick lists and
# scan one item at a time, each waiting for its reply, 200 scans/s in total, 5 % mistakes.
# BENCH_DURATION (default 60s) and BENCH_WARMUP (default 15s) set the measured and warm-up time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-picking}
rm -rf "$out"; mkdir -p "$out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cloud_port=$(free_port); mqtt_port=$(free_port); http_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$cloud_port" >"$out/cloud.conf"
mosquitto -c "$out/cloud.conf" >"$out/cloud.log" 2>&1 & cloud_pid=$!
gw_pid=""
trap 'kill $cloud_pid $gw_pid 2>/dev/null || true' EXIT
sleep 0.5

GATEWAY_DATA_DIR=$out/gw-data GATEWAY_CLOUD_URL=tcp://127.0.0.1:$cloud_port GATEWAY_MQTT_PORT=$mqtt_port \
GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_PICKING_ENABLED=true \
  java -Xmx192m -jar "$root/gateway/target/gateway.jar" --config "$root/config/gateway.yaml" >"$out/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 150); do
  curl -sf "http://127.0.0.1:$http_port/health" | grep -q '"state":"CONNECTED"' && break; sleep 0.2
done

t0=$(date +%s.%N); c0=$(awk '{print $14+$15}' /proc/$gw_pid/stat)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/pickers.txt"
java -jar "$root/device-sim/target/device-sim.jar" pickers --mqtt-url tcp://127.0.0.1:$mqtt_port \
  --cloud-url tcp://127.0.0.1:$cloud_port --pdas 50 --rate 200 --mistakes 0.05 \
  --warmup "${BENCH_WARMUP:-15s}" --duration "${BENCH_DURATION:-60s}" --report "$out/pickers.json" | tee -a "$out/pickers.txt"
t1=$(date +%s.%N); c1=$(awk '{print $14+$15}' /proc/$gw_pid/stat)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/pickers.txt"
echo "gateway CPU: $(echo "scale=2; ($c1-$c0)/$(getconf CLK_TCK)/($t1-$t0)" | bc) cores" | tee -a "$out/pickers.txt"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^gateway_store_(commit_seconds|batch_size)_(sum|count)' \
  | tee -a "$out/pickers.txt"
echo "reports in $out"
