#!/usr/bin/env bash
# Device login cost: sequential MQTT connect/disconnect through the gate with mqtt.auth off and required
# (PBKDF2-HMAC-SHA512, 100,000 iterations; the first login of a device pays it, later ones hit the keyed
# digest cache), and the raw PBKDF2 check time.
#   bench/auth.sh [OUT_DIR] [COUNT]   (from the repository root after `mvn -B -DskipTests package`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-auth}; count=${2:-500}
rm -rf "$out"; mkdir -p "$out"; chmod 700 "$out"
jar=$root/gateway/target/gateway.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gw_pid=""
trap 'kill $gw_pid 2>/dev/null || true' EXIT
echo "bench-pw" | java -jar "$jar" hash-password --device pda-1 >"$out/devices.passwd"
chmod 600 "$out/devices.passwd"

run() { # mode
  local mode=$1 mqtt_port http_port; mqtt_port=$(free_port); http_port=$(free_port)
  GATEWAY_DATA_DIR=$out/data-$mode GATEWAY_CLOUD_URL=tcp://127.0.0.1:$(free_port) GATEWAY_MQTT_PORT=$mqtt_port \
  GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_MQTT_AUTH=$mode \
  GATEWAY_MQTT_CREDENTIALS_FILE=$out/devices.passwd GATEWAY_API_TOKEN=$(openssl rand -hex 16) \
  GATEWAY_API_ADMIN_TOKEN=$(openssl rand -hex 16) GATEWAY_MEMBERS_REF_KEY=$(openssl rand -hex 24) \
    java -Xmx192m -jar "$jar" --config "$root/config/gateway.yaml" >"$out/gateway-$mode.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done
  if [ "$mode" = required ]; then creds="pda-1 bench-pw"; else creds=""; fi
  # shellcheck disable=SC2086
  java -cp "$jar" "$root/bench/AuthBench.java" "tcp://127.0.0.1:$mqtt_port" "$count" $creds | tee -a "$out/result.txt"
  kill $gw_pid; wait $gw_pid 2>/dev/null || true; gw_pid=""
}
run off
run required
