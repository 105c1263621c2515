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
# W4 (gateway only, gateways of its own): footprint and start-up. Ready (/health 200, from the JVM's start) on an
#     empty database (BENCH_W4_STARTS starts, default 3); then on the last of them 1,000 buttons, 10 access points
#     and 10,000 labels over 1,000 priced SKUs bound by cloud commands, the cloud taken away and 30,000 presses
#     acknowledged (buffered): peak RSS (VmHWM); then the gateway stopped, its outbox topped up to 1,000,000
#     pending events (bench/OutboxFill.java), a cloud brought back, one start and clean stop (which, finding the
#     outbox changed behind its back, checks and sums it all, as after a crash: timed too), and ready after the
#     restart that follows, with the first seconds of the drain. BENCH_W4_NMT=1 adds -XX:NativeMemoryTracking=summary and saves jcmd's summary, pmap
#     and the thread count of the loaded gateway to OUT_DIR/w4-*.txt.
# Both sides get their own brokers on free ports, a bench store id and data directory (never port 1884).
# Environment: BENCH_WORKLOADS (default "w1 w2 w3"), BENCH_XMX (-Xmx of the gateway, default 96m),
# BENCH_JAVA_OPTS (JVM options; default -XX:TieredStopAtLevel=1, as deploy/retail-gateway.service runs it;
# set it to " " for the JVM's default tiered compilation), BENCH_CDS=0 (no class-data sharing archive),
# BENCH_SKIP_BRIDGE=1, BENCH_W4_PENDING (default 1000000).
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
  for d in "$cloud_dir" "$out/w4-cloud" "$out/w4-cloud2" "$out/peer"; do "$peer" stop "$d" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "load before the run: $(uptime)" | tee "$out/load.txt"
loop_workloads=""; w4=""
for w in $workloads; do if [ "$w" = w4 ]; then w4=1; else loop_workloads="$loop_workloads $w"; fi; done

# A cloud Mosquitto configured like the peer's cloud (persistence, no queue limit), in its own directory.
start_cloud() { # DIR PORT
  mkdir -p "$1/cloud-data"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/cloud-data/\nmax_queued_messages 0\nmax_inflight_messages 0\n' \
    "$2" "$1" >"$1/cloud.conf"
  "$peer" start-cloud "$1"
  for _ in $(seq 50); do mosquitto_pub -p "$2" -t probe -m x 2>/dev/null && break; sleep 0.1; done
}

# Shipped config, but debounce off (every press counts) and the cloud reconnect back-off capped at 5 s like
# the bridge's restart_timeout, so W3 measures the drain rather than a 30 s back-off. Sets gw_pid and ready_ms
# (from just before the JVM starts to the first /health 200, polled every 20 ms).
start_gateway() { # DATA_DIR LOG [JVM options]
  local data=$1 log=$2; shift 2
  t_start=$(date +%s%N)
  GATEWAY_STORE_ID=$store GATEWAY_BUTTONS_DEBOUNCE=0ms GATEWAY_DATA_DIR=$data \
  GATEWAY_CLOUD_URL=tcp://127.0.0.1:$cloud_port GATEWAY_CLOUD_RECONNECT_MAX=5s GATEWAY_MQTT_PORT=$mqtt_port \
  GATEWAY_MQTT_BIND=127.0.0.1 GATEWAY_COAP_PORT=0 GATEWAY_HTTP_PORT=$http_port GATEWAY_HTTP_BIND=127.0.0.1 \
    java -Xmx"${BENCH_XMX:-96m}" ${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1} "${cds_opts[@]}" "$@" \
    -jar "$root/gateway/target/gateway.jar" --config "$root/config/gateway.yaml" >"$log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 6000); do
    curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break
    kill -0 "$gw_pid" 2>/dev/null || { echo "the gateway exited; see $log" >&2; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - t_start) / 1000000 ))
}
stop_gateway() {
  kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""
}

# The shipped JVM flags include a class-data sharing archive of the jar (deploy/Dockerfile, the unit's
# ExecStartPre): made here the same way, once per run. BENCH_CDS=0 runs without it.
cds_opts=()
if [ "${BENCH_CDS:-1}" != 0 ]; then
  java -XX:ArchiveClassesAtExit="$out/gateway.jsa" -Xlog:cds=off -Xmx"${BENCH_XMX:-96m}" -XX:TieredStopAtLevel=1 \
    -jar "$root/gateway/target/gateway.jar" cds-training >"$out/cds-training.log" 2>&1
  cds_opts=(-XX:SharedArchiveFile="$out/gateway.jsa" -Xlog:cds=off)
fi

# --- the gateway
cloud_port=$(free_port); mqtt_port=$(free_port); http_port=$(free_port)
if [ -n "${loop_workloads// /}" ]; then
mkdir -p "$cloud_dir"
start_cloud "$cloud_dir" "$cloud_port"
start_gateway "$out/gw-data" "$out/gateway.log"
echo "gateway ready (/health 200) after ${ready_ms} ms (empty database, includes JVM start)" | tee -a "$out/load.txt"

# CPU per gateway thread over a workload, from /proc/PID/task/*/stat (comm, utime+stime in ticks).
threads_snapshot() {
  for t in /proc/$gw_pid/task/*; do
    awk '{ s=$0; sub(/^[^(]*\(/, "", s); comm=s; sub(/\).*/, "", comm); sub(/^[^)]*\) /, "", s); split(s, f, " ");
           gsub(/ /, "_", comm); print FILENAME, comm, f[12]+f[13] }' "$t/stat" 2>/dev/null || true  # a thread may end between the glob and the read
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
for w in $loop_workloads; do
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
stop_gateway
"$peer" stop "$cloud_dir"
fi

# --- W4: footprint and start-up, on gateways of its own
metric() { curl -sf "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1 == m {printf "%d", $2}'; }
if [ -n "$w4" ]; then
  w4dir=$out/w4-cloud; mkdir -p "$w4dir"; cloud_port=$(free_port)
  start_cloud "$w4dir" "$cloud_port"
  nmt=(); [ -n "${BENCH_W4_NMT:-}" ] && nmt=(-XX:NativeMemoryTracking=summary)
  starts=${BENCH_W4_STARTS:-3}; empty_ms=()
  for i in $(seq "$starts"); do
    rm -rf "$out/w4-data"
    start_gateway "$out/w4-data" "$out/w4-gateway.log" "${nmt[@]}"
    empty_ms+=("$ready_ms")
    echo "== w4 start $i: ready (/health 200) after ${ready_ms} ms, empty database"
    if [ "$i" -lt "$starts" ]; then stop_gateway; fi
  done
  client bind gateway tcp://127.0.0.1:$mqtt_port tcp://127.0.0.1:$cloud_port $store $gw_pid >/dev/null
  HTTP_URL=http://127.0.0.1:$http_port API_TOKEN=cloud-read-token-change-me AP_URL=coap://127.0.0.1:$(free_port) \
    client w4labels gateway tcp://127.0.0.1:$mqtt_port tcp://127.0.0.1:$cloud_port $store $gw_pid | tee "$out/w4-labels.json"
  CLOUD_STOP="$peer stop-cloud $w4dir; sleep 0.5" \
    client w4fill gateway tcp://127.0.0.1:$mqtt_port tcp://127.0.0.1:$cloud_port $store $gw_pid | tee "$out/w4-fill.json"
  sleep 2   # the label pushes' first retries
  w4_rss=$(awk '/VmHWM/{print $2}' /proc/$gw_pid/status)
  w4_now=$(awk '/VmRSS/{print $2}' /proc/$gw_pid/status)
  w4_threads=$(ls /proc/$gw_pid/task | wc -l)
  w4_buffered=$(metric gateway_outbox_pending_events)
  echo "== w4 loaded: peak RSS ${w4_rss} kB (now ${w4_now} kB), ${w4_threads} threads, ${w4_buffered} events pending"
  if [ -n "${BENCH_W4_NMT:-}" ]; then
    jcmd "$gw_pid" VM.native_memory summary >"$out/w4-nmt.txt" 2>&1 || true
    pmap -x "$gw_pid" | sort -k3 -n -r | head -40 >"$out/w4-pmap.txt" || true
    for t in /proc/$gw_pid/task/*; do cat "$t/comm"; done | sed 's/[-#0-9]*$//' | sort | uniq -c | sort -rn >"$out/w4-threads.txt"
  fi
  stop_gateway
  java -cp "$root/gateway/target/gateway.jar" "$root/bench/OutboxFill.java" "$out/w4-data" "${BENCH_W4_PENDING:-1000000}" \
    | tee "$out/w4-outbox-fill.txt"
  # A cloud of its own for the drain: no stored session queueing a million messages for a subscriber that is gone.
  w4dir2=$out/w4-cloud2; mkdir -p "$w4dir2"; cloud_port=$(free_port)
  start_cloud "$w4dir2" "$cloud_port"
  # The fill changed the outbox behind the gateway's back, so the first start after it finds a clean-stop note
  # that no longer matches: it sums the pending events, as after a crash (where it would also check the whole file
  # first). Measured too; it runs until its deferred check is done and stops cleanly, as a store's gateway that
  # buffered the outage would.
  start_gateway "$out/w4-data" "$out/w4-gateway-first.log"
  first_ms=$ready_ms
  echo "== w4 first start after the fill (the note no longer matches: pending summed): ready after ${first_ms} ms"
  for _ in $(seq 600); do grep -q "database check: sound" "$out/w4-gateway-first.log" && break; sleep 0.1; done
  stop_gateway
  start_gateway "$out/w4-data" "$out/w4-gateway-restart.log"
  pending_ms=$ready_ms
  p0=$(metric gateway_outbox_pending_events)
  echo "== w4 restart: ready (/health 200) after ${pending_ms} ms, ${p0} events pending"
  sleep "${BENCH_W4_DRAIN_SECONDS:-5}"
  p1=$(metric gateway_outbox_pending_events)
  restart_rss=$(awk '/VmHWM/{print $2}' /proc/$gw_pid/status)
  stop_gateway
  "$peer" stop "$w4dir2"; "$peer" stop "$w4dir" 2>/dev/null || true
  python3 - "$out/w4.json" "${empty_ms[*]}" "$w4_rss" "$w4_threads" "$w4_buffered" "$pending_ms" "$p0" "$p1" \
    "${BENCH_W4_DRAIN_SECONDS:-5}" "$restart_rss" "$first_ms" <<'PY'
import json, statistics, sys
path, empty = sys.argv[1], [int(x) for x in sys.argv[2].split()]
rss, threads, buffered, pending_ms, p0, p1, secs, restart_rss, first_ms = (float(x or 0) for x in sys.argv[3:])
json.dump({"readyEmptyMs": empty, "readyEmptyMedianMs": statistics.median(empty), "peakRssKb": rss,
           "threads": threads, "buffered": buffered, "readyPendingMs": pending_ms, "pendingAtReady": p0,
           "drainedEvents": p0 - p1, "drainSeconds": secs, "restartPeakRssKb": restart_rss,
           "readyFirstAfterFillMs": first_ms}, open(path, "w"))
PY
  cat "$out/w4.json"; echo
fi

# --- the bridge
if [ -z "${BENCH_SKIP_BRIDGE:-}" ] && [ -n "${loop_workloads// /}" ]; then
  edge=$(free_port); cloud2=$(free_port)
  "$peer" start "$edge" "$cloud2" "$out/peer"
  client bind bridge tcp://127.0.0.1:$edge tcp://127.0.0.1:$cloud2 $store "$(cat "$out/peer/edge.pid")" >/dev/null
  for w in $loop_workloads; do
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
w4p = os.path.join(out, "w4.json")
if os.path.exists(w4p):
    w4 = json.load(open(w4p))
    rows.append(("W4 ready, empty database",
                 f"{w4['readyEmptyMedianMs']:,.0f} ms (median of {', '.join(f'{x:,}' for x in w4['readyEmptyMs'])})",
                 "", "", "", ""))
    rows.append((f"W4 peak RSS: 1,000 buttons + 10,000 labels bound, {w4['buffered']:,.0f} presses buffered",
                 f"{w4['peakRssKb'] / 1000:,.0f} MB ({w4['peakRssKb']:,.0f} kB, {w4['threads']:.0f} threads)", "", "", "", ""))
    if w4.get('readyFirstAfterFillMs'):
        rows.append(("W4 ready, first start after the fill (its clean-stop note no longer matches: pending summed)",
                     f"{w4['readyFirstAfterFillMs']:,.0f} ms", "", "", "", ""))
    rows.append((f"W4 ready after a clean stop, {w4['pendingAtReady']:,.0f} events pending",
                 f"{w4['readyPendingMs']:,.0f} ms; then {w4['drainedEvents'] / w4['drainSeconds']:,.0f}/s "
                 f"forwarded, peak RSS {w4['restartPeakRssKb'] / 1000:,.0f} MB", "", "", "", ""))
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
