#!/usr/bin/env bash
# Spine workloads W1-W3 of issue 16, side by side in one run: the gateway jar against the peer a store would
# run instead (an in-store Mosquitto bridged to a cloud Mosquitto, ../shared/bench/mosquitto-bridge-peer.sh),
# measured by an independent Node.js MQTT client (bench/spine-w.mjs, the `mqtt` npm package).
#   bench/spine-w.sh [OUT_DIR]      (from the repository root, after `mvn -B -DskipTests package`)
# W1: one device connection, QoS 1, at most 500 in flight, 30,000 presses round-robin over 1,000 buttons bound
#     as staff-call by one bindings command, until the last event reaches a QoS 1 subscriber on the cloud.
# W2: 500 presses/s paced, 5 s warm-up then 20 s measured, publish-to-cloud latency.
# W3: cloud away, 50,000 presses acknowledged, then the cloud returns; until the last arrives.
# w1warm: W1 once more on the same running gateway (and bridge), right after w1: the steady state of a gateway
#     that has run for a while, with the JIT compilers done; list it after w1.
# Both sides get their own brokers on free ports, a bench store id and data directory (never port 1884).
# Environment: BENCH_WORKLOADS (default "w1 w2 w3"), BENCH_XMX (-Xmx of the gateway, default 96m),
# BENCH_JAVA_OPTS (JVM options; default -XX:TieredStopAtLevel=1, as deploy/retail-gateway.service runs it;
# set it to " " for the JVM's default tiered compilation), BENCH_SKIP_BRIDGE=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-spine-w}
rm -rf "$out"; mkdir -p "$out"
peer=${BENCH_PEER:-$root/../shared/bench/mosquitto-bridge-peer.sh}
# From a git worktree under wt/ the shared directory is one level further up.
[ -x "$peer" ] || peer=$root/../../shared/bench/mosquitto-bridge-peer.sh
workloads=${BENCH_WORKLOADS:-w1 w2 w3}
store=bench-$$
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

node_dir=$root/target/bench-node
if [ ! -d "$node_dir/node_modules/mqtt" ]; then
  mkdir -p "$node_dir" && (cd "$node_dir" && npm install --silent --no-audit --no-fund mqtt@5 >/dev/null)
fi
# ESM ignores NODE_PATH: run the client from a copy next to its node_modules.
cp "$root/bench/spine-w.mjs" "$node_dir/spine-w.mjs"
client() { node "$node_dir/spine-w.mjs" "$@"; }

gw_pid=""; cloud_dir=$out/gw-cloud
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null || true
  "$peer" stop "$cloud_dir" 2>/dev/null || true
  "$peer" stop "$out/peer" 2>/dev/null || true
}
trap cleanup EXIT

echo "load before the run: $(uptime)" | tee "$out/load.txt"

# --- the gateway, its cloud a Mosquitto configured like the peer's cloud (persistence, no queue limit)
cloud_port=$(free_port); mqtt_port=$(free_port); http_port=$(free_port)
mkdir -p "$cloud_dir/cloud-data"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/cloud-data/\nmax_queued_messages 0\nmax_inflight_messages 0\n' \
  "$cloud_port" "$cloud_dir" >"$cloud_dir/cloud.conf"
mosquitto -c "$cloud_dir/cloud.conf" >>"$cloud_dir/cloud.log" 2>&1 & echo $! >"$cloud_dir/cloud.pid"
for _ in $(seq 50); do mosquitto_pub -p "$cloud_port" -t probe -m x 2>/dev/null && break; sleep 0.1; done

# Shipped config, but debounce off (every press counts) and the cloud reconnect back-off capped at 5 s like
# the bridge's restart_timeout, so W3 measures the drain rather than a 30 s back-off.
t_start=$(date +%s%N)
GATEWAY_STORE_ID=$store GATEWAY_BUTTONS_DEBOUNCE=0ms GATEWAY_DATA_DIR=$out/gw-data \
GATEWAY_CLOUD_URL=tcp://127.0.0.1:$cloud_port GATEWAY_CLOUD_RECONNECT_MAX=5s GATEWAY_MQTT_PORT=$mqtt_port \
GATEWAY_MQTT_BIND=127.0.0.1 GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_HTTP_BIND=127.0.0.1 \
  java -Xmx"${BENCH_XMX:-96m}" ${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1} -jar "$root/gateway/target/gateway.jar" --config "$root/config/gateway.yaml" \
  >"$out/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.05; done
ready_ms=$(( ($(date +%s%N) - t_start) / 1000000 ))
echo "gateway ready (/health 200) after ${ready_ms} ms (empty database, includes JVM start)" | tee -a "$out/load.txt"

# CPU per gateway thread over a workload, from /proc/PID/task/*/stat (comm, utime+stime in ticks).
threads_snapshot() {
  for t in /proc/$gw_pid/task/*; do
    awk '{ s=$0; sub(/^[^(]*\(/, "", s); comm=s; sub(/\).*/, "", comm); sub(/^[^)]*\) /, "", s); split(s, f, " ");
           gsub(/ /, "_", comm); print FILENAME, comm, f[12]+f[13] }' "$t/stat" 2>/dev/null
  done
}
threads_diff() { # before after events
  python3 - "$1" "$2" "$3" <<'PY'
import sys, collections
def load(p):
    d = {}
    for line in open(p):
        f = line.split()
        if len(f) == 3: d[f[0]] = (f[1], int(f[2]))
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
by = collections.Counter()
for k, (comm, t) in b.items():
    by[comm] += t - a.get(k, (comm, 0))[1]
total = sum(by.values())
print(f"  gateway threads, CPU per event (total {total * 10000 / n:.0f} us):")
for comm, t in by.most_common(8):
    if t: print(f"    {comm:<34} {t * 10000 / n:6.1f} us")
PY
}

client bind gateway tcp://127.0.0.1:$mqtt_port tcp://127.0.0.1:$cloud_port $store $gw_pid >/dev/null
for w in $workloads; do
  echo "== gateway $w (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  threads_snapshot >"$out/threads-$w.before"
  curl -sf "http://127.0.0.1:$http_port/metrics" >"$out/metrics-$w.before" || true
  CLOUD_STOP="$peer stop-cloud $cloud_dir; sleep 0.5" CLOUD_START="$peer start-cloud $cloud_dir" \
    client "$w" gateway tcp://127.0.0.1:$mqtt_port tcp://127.0.0.1:$cloud_port $store $gw_pid | tee "$out/gateway-$w.json"
  threads_snapshot >"$out/threads-$w.after"
  threads_diff "$out/threads-$w.before" "$out/threads-$w.after" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$out/gateway-$w.json")" | tee "$out/threads-$w.txt"
  curl -sf "http://127.0.0.1:$http_port/metrics" >"$out/metrics-$w.after" || true
  commits() { # the writer's group commits over the workload: how many, units per commit, mean time per commit
    awk '/^gateway_store_commit_seconds_count/{c=$2} /^gateway_store_commit_seconds_sum/{s=$2}
         /^gateway_store_batch_size_sum/{u=$2} END{print c, s, u}' "$1"
  }
  read -r c0 s0 u0 <<<"$(commits "$out/metrics-$w.before")"; read -r c1 s1 u1 <<<"$(commits "$out/metrics-$w.after")"
  python3 -c 'import sys; c0,s0,u0,c1,s1,u1=map(float,sys.argv[1:]); c=c1-c0 or 1
print(f"  writer: {c:.0f} commits, {(u1-u0)/c:.0f} units per commit, {(s1-s0)*1000/c:.2f} ms per commit (BEGIN..COMMIT), busy {(s1-s0):.1f} s")' \
    "$c0" "$s0" "$u0" "$c1" "$s1" "$u1" | tee -a "$out/threads-$w.txt"
done
rss_kb=$(awk '/VmHWM/{print $2}' /proc/$gw_pid/status)
echo "gateway peak RSS (VmHWM) ${rss_kb} kB" | tee -a "$out/load.txt"
kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""
"$peer" stop "$cloud_dir"

# --- the bridge
if [ -z "${BENCH_SKIP_BRIDGE:-}" ]; then
  edge=$(free_port); cloud2=$(free_port)
  "$peer" start "$edge" "$cloud2" "$out/peer"
  client bind bridge tcp://127.0.0.1:$edge tcp://127.0.0.1:$cloud2 $store "$(cat "$out/peer/edge.pid")" >/dev/null
  for w in $workloads; do
    echo "== bridge $w (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    CLOUD_STOP="$peer stop-cloud $out/peer; sleep 0.5" CLOUD_START="$peer start-cloud $out/peer" \
      client "$w" bridge tcp://127.0.0.1:$edge tcp://127.0.0.1:$cloud2 $store "$(cat "$out/peer/edge.pid")" | tee "$out/bridge-$w.json"
  done
  "$peer" stop "$out/peer"
fi

# --- the table
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(side, w):
    p = os.path.join(out, f"{side}-{w}.json")
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) else None
rows = []
for w in ("w1", "w1warm", "w2", "w3"):
    g, b = load("gateway", w), load("bridge", w)
    if not g: continue
    if w == "w2":
        fmt = lambda r: f"p50 {r['p50']:.1f} / p90 {r['p90']:.1f} / p99 {r['p99']:.1f} / max {r['max']:.1f} ms" if r else "-"
        rows.append((w, fmt(g), fmt(b), "", f"{g['cpuUsPerEvent']:.0f} us ({g['cores']:.2f} cores)",
                     f"{b['cpuUsPerEvent']:.0f} us" if b else "-"))
    else:
        ratio = f"{g['rate'] / b['rate']:.2f}" if b else "-"
        extra = lambda r: f" (accepted at {r['acceptRate']:,.0f}/s)" if r and 'acceptRate' in r else ""
        rows.append((w, f"{g['rate']:,.0f}/s{extra(g)}", f"{b['rate']:,.0f}/s{extra(b)}" if b else "-", ratio,
                     f"{g['cpuUsPerEvent']:.0f} us", f"{b['cpuUsPerEvent']:.0f} us" if b else "-"))
head = ("workload", "gateway", "bridge", "ratio", "gateway CPU/event", "bridge (edge) CPU/event")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows: print("| " + " | ".join(r) + " |")

# The chart docs/benchmarks.md shows: events/s of each throughput workload, gateway beside bridge.
bars = [(w, load("gateway", w), load("bridge", w)) for w in ("w1", "w1warm", "w3")]
bars = [(w, g["rate"], b["rate"] if b else 0) for w, g, b in bars if g]
if bars:
    top = max(max(g, b) for _, g, b in bars) * 1.15
    width, height, left, base = 120 + 170 * len(bars), 300, 70, 250
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="18" font-size="14">Events/s to a QoS 1 cloud subscriber (higher is better)</text>',
           f'<line x1="{left}" y1="{base}" x2="{width - 20}" y2="{base}" stroke="#333"/>']
    for i, (w, g, b) in enumerate(bars):
        x = left + 20 + i * 170
        for j, (value, colour, name) in enumerate(((g, "#2b6cb0", "gateway"), (b, "#a0aec0", "bridge"))):
            h = (base - 40) * value / top
            svg.append(f'<rect x="{x + j * 60}" y="{base - h:.0f}" width="50" height="{h:.0f}" fill="{colour}"/>')
            svg.append(f'<text x="{x + j * 60 + 25}" y="{base - h - 4:.0f}" text-anchor="middle">{value:,.0f}</text>')
            svg.append(f'<text x="{x + j * 60 + 25}" y="{base + 15}" text-anchor="middle">{name}</text>')
        svg.append(f'<text x="{x + 55}" y="{base + 32}" text-anchor="middle" font-weight="bold">{w}</text>')
    svg.append('</svg>')
    open(os.path.join(out, "spine-w.svg"), "w").write("\n".join(svg) + "\n")
    print(f"chart: {os.path.join(out, 'spine-w.svg')}")
PY
cat "$out/load.txt"
