#!/usr/bin/env bash
# Summary benchmark: GET /api/v1/summary over real HTTP on a database holding many stored events.
#   bench/summary.sh [EVENTS] [OUT_DIR]   (from the repository root after `mvn -B -DskipTests package`)
# Fills OUT_DIR/gw-data with EVENTS events (default 10,000,000) over the last 7 days (bench/SummaryFill.java,
# one bulk INSERT), starts the gateway jar on it, and times each window 30 times after 5 warm-ups with curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
events=${1:-10000000}
out=${2:-$root/target/bench-summary}
jar=$root/gateway/target/gateway.jar
mkdir -p "$out"
if [ ! -f "$out/gw-data/filled-$events" ]; then
  rm -rf "$out/gw-data"
  java -cp "$jar" "$root/bench/SummaryFill.java" "$out/gw-data" "$events" 7
  touch "$out/gw-data/filled-$events"
fi
chmod 700 "$out/gw-data"   # the gateway refuses a data directory others can read
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
GATEWAY_DATA_DIR=$out/gw-data GATEWAY_CLOUD_URL=tcp://127.0.0.1:$(free_port) GATEWAY_MQTT_PORT=$(free_port) \
GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_OUTBOX_RETENTION=30d GATEWAY_API_RATE_LIMIT=1000 \
  java -Xmx192m -jar "$jar" --config "$root/config/gateway.yaml" >"$out/gateway.log" 2>&1 &
gw_pid=$!
trap 'kill $gw_pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done
token=cloud-read-token-change-me
base="http://127.0.0.1:$http_port"
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%S.123Z; }
time_it() { # name, url, token or -
  local name=$1 url=$2 auth=()
  [ "$3" != - ] && auth=(-H "Authorization: Bearer $3")
  for _ in 1 2 3 4 5; do curl -sf "${auth[@]}" "$url" >/dev/null; done
  for _ in $(seq 30); do curl -sf -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$url"; done | sort -n >"$out/$name.times"
  awk -v n="$name" '{t[NR]=$1*1000} END {printf "%-28s median %6.1f ms  p90 %6.1f ms  max %6.1f ms  (%d requests)\n", n, t[int(NR/2)+1], t[int(NR*0.9)], t[NR], NR}' "$out/$name.times"
}
{
  echo "summary benchmark: $events stored events over 7 days, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
  time_it "summary default (24 h)" "$base/api/v1/summary" "$token"
  time_it "summary 1 h, odd bounds" "$base/api/v1/summary?from=$(iso '-61 min')&to=$(iso '-1 min')" "$token"
  time_it "summary 7 days" "$base/api/v1/summary?from=$(iso '-7 days')&to=$(iso 'now')" "$token"
  time_it "dashboard snapshot" "$base/dashboard/snapshot" -
  curl -sf -H "Authorization: Bearer $token" "$base/api/v1/summary" | head -c 600; echo
} | tee "$out/summary.txt"
