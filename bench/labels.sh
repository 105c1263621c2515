#!/usr/bin/env bash
# Label benchmark: a price change touching 10,000 labels on 10 simulated access points with 5% packet loss (in and
# out) and check-in 0, timed until every label reports its new version; the gateway's CPU and RSS meanwhile.
#   bench/labels.sh [OUT_DIR]      (run from the repository root after `mvn -B -DskipTests package`)
# BENCH_APS, BENCH_LABELS_PER_AP, BENCH_LOSS, BENCH_MAX_IN_FLIGHT change the layout; BENCH_DTLS=1 pushes over
# DTLS (coaps:// access points, one PSK in labels.ap-psk-file; the loss then hits only the status reports).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-labels}
rm -rf "$out"; mkdir -p "$out"
sim="java -jar $root/device-sim/target/device-sim.jar"
aps=${BENCH_APS:-10}
per_ap=${BENCH_LABELS_PER_AP:-1000}
free_ports() { # count, kind (tcp or udp)
  python3 -c 'import socket,sys
kind = socket.SOCK_DGRAM if sys.argv[2] == "udp" else socket.SOCK_STREAM
socks = [socket.socket(socket.AF_INET, kind) for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(",".join(str(s.getsockname()[1]) for s in socks))' "$1" "$2"; }

ap_ports=$(free_ports "$aps" udp); coap_port=$(free_ports 1 udp); mqtt_port=$(free_ports 1 tcp); http_port=$(free_ports 1 tcp)
dtls_args=(); dtls_env=()
if [ "${BENCH_DTLS:-0}" = 1 ]; then
  psk="gw-bench:$(openssl rand -hex 16)"
  (umask 077; for i in $(seq "$aps"); do echo "ap-$i:$psk"; done > "$out/ap.psk")
  dtls_args=(--psk "$psk"); dtls_env=(GATEWAY_LABELS_AP_PSK_FILE="$out/ap.psk")
fi
$sim bench-labels --ap-ports "$ap_ports" --labels-per-ap "$per_ap" --write-config "$out/gateway.yaml" ${dtls_args[@]+"${dtls_args[@]}"}

gw_pid=""
trap 'kill $gw_pid 2>/dev/null || true' EXIT
GATEWAY_DATA_DIR=$out/gw-data GATEWAY_MQTT_PORT=$mqtt_port GATEWAY_COAP_PORT=$coap_port GATEWAY_HTTP_PORT=$http_port \
GATEWAY_COAP_BIND=127.0.0.1 GATEWAY_LABELS_MAX_IN_FLIGHT=${BENCH_MAX_IN_FLIGHT:-16} \
  env ${dtls_env[@]+"${dtls_env[@]}"} java -Xmx256m -jar "$root/gateway/target/gateway.jar" --config "$out/gateway.yaml" >"$out/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done

$sim bench-labels --ap-ports "$ap_ports" --labels-per-ap "$per_ap" --gateway-coap "coap://127.0.0.1:$coap_port" \
  --api "http://127.0.0.1:$http_port" --loss "${BENCH_LOSS:-0.05}" --check-in 0 --gateway-pid "$gw_pid" \
  --clk-tck "$(getconf CLK_TCK)" --report "$out/labels.json" ${dtls_args[@]+"${dtls_args[@]}"} | tee "$out/labels.txt"
echo "reports in $out"
