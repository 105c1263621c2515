// Independent client for bench/spine-w.sh: one workload against one target, the result as one JSON line.
//   node spine-w.mjs MODE TARGET DEVICE_URL CLOUD_URL STORE PIDS
// MODE w1 | w2 | w3 | bind | w4labels | w4fill; TARGET gateway (cloud side: retail/STORE/events, CloudEvents matched on data.msgId)
// or bridge (cloud side: store/#, the forwarded device payloads matched on msgId). PIDS: comma-separated
// process ids whose CPU (utime+stime from /proc) is charged to the workload. For w3 the environment gives
// CLOUD_STOP and CLOUD_START, shell commands that take the cloud broker away and bring it back.
// W4 (gateway only): w4labels binds 10 access points and 10,000 labels over 1,000 priced SKUs by cloud commands and
// waits until the REST summary (HTTP_URL, API_TOKEN) counts them; w4fill takes the cloud away (CLOUD_STOP) and
// leaves it away after 30,000 presses were acknowledged, so they stay buffered.
// Needs the `mqtt` npm package (spine-w.sh installs it under target/).
import mqtt from 'mqtt';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const [mode, target, deviceUrl, cloudUrl, store, pidList] = process.argv.slice(2);
const BUTTONS = 1000;
const WINDOW = Number(process.env.BENCH_WINDOW || 500);
const pids = (pidList || '').split(',').filter(Boolean);
const ticksPerSecond = 100; // CLK_TCK on Linux
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

function cpuSeconds() {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks / ticksPerSecond;
}

function connect(url, options) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 200, connectTimeout: 5000, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function buttonTopic(i) {
  return `store/${store}/button/bench-btn-${i}/press`;
}

// The cloud side: a QoS 1 subscriber with a persistent session, so a cloud broker restart (w3) keeps it.
async function cloudSubscriber(onMsgId) {
  const topic = target === 'gateway' ? `retail/${store}/events` : 'store/#';
  const client = await connect(cloudUrl, { clientId: `bench-cloud-sub-${store}-${target}`, clean: false });
  client.on('message', (_topic, payload) => {
    let msg;
    try { msg = JSON.parse(payload.toString()); } catch { return; }
    const msgId = target === 'gateway' ? msg?.data?.msgId : msg?.msgId;
    if (typeof msgId === 'string') onMsgId(msgId);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return client;
}

// Publishes count presses, QoS 1, at most WINDOW unacknowledged at once, paced at rate/s when rate > 0.
async function publishPresses(device, prefix, count, rate, sentAt) {
  let inFlight = 0, next = 0, acked = 0;
  const t0 = now();
  return new Promise((resolve, reject) => {
    const pump = () => {
      while (next < count && inFlight < WINDOW) {
        if (rate > 0 && now() - t0 < (next * 1000) / rate) { setTimeout(pump, 1); return; }
        const msgId = `${prefix}-${next}`;
        const payload = JSON.stringify({ msgId, press: 'single' });
        inFlight++;
        if (sentAt) sentAt.set(msgId, now());
        device.publish(buttonTopic(next % BUTTONS), payload, { qos: 1 }, (err) => {
          if (err) { reject(err); return; }
          inFlight--; acked++;
          if (acked === count) resolve(now()); else pump();
        });
        next++;
      }
    };
    pump();
  });
}

function waitAll(seen, prefix, count, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = now();
    const check = () => {
      if (seen.count(prefix) >= count) { resolve(seen.last(prefix)); return; }
      if (now() - started > timeoutMs) { reject(new Error(`${prefix}: ${seen.count(prefix)}/${count} arrived`)); return; }
      setTimeout(check, 20);
    };
    check();
  });
}

// Arrivals per msgId prefix, de-duplicated (QoS 1 may deliver twice).
class Seen {
  constructor() { this.ids = new Set(); this.counts = new Map(); this.lasts = new Map(); this.firsts = new Map(); this.hook = null; }
  add(msgId) {
    if (this.ids.has(msgId)) return;
    this.ids.add(msgId);
    const prefix = msgId.slice(0, msgId.lastIndexOf('-'));
    const t = now();
    this.counts.set(prefix, (this.counts.get(prefix) || 0) + 1);
    if (!this.firsts.has(prefix)) this.firsts.set(prefix, t);
    this.lasts.set(prefix, t);
    if (this.hook) this.hook(msgId, t);
  }
  count(prefix) { return this.counts.get(prefix) || 0; }
  last(prefix) { return this.lasts.get(prefix); }
  first(prefix) { return this.firsts.get(prefix); }
}

// Binds the 1,000 buttons as staff-call with one bindings command, resent until a press of the last one
// arrives at the cloud (the command link may not have subscribed yet when the first one goes).
async function bind(device, cloud, seen) {
  const bindings = [];
  for (let i = 0; i < BUTTONS; i++) bindings.push({ deviceId: `bench-btn-${i}`, kind: 'button', action: 'staff-call' });
  const command = JSON.stringify({ commandId: `bench-bind-${store}`, bindings });
  for (let attempt = 0; attempt < 60; attempt++) {
    if (target === 'gateway') await cloud.publishAsync(`retail/${store}/commands/bindings`, command, { qos: 1 });
    const probe = `probe${attempt}-0`;
    await device.publishAsync(buttonTopic(BUTTONS - 1), JSON.stringify({ msgId: probe, press: 'single' }), { qos: 1 });
    try { await waitAll(seen, `probe${attempt}`, 1, 2000); return; } catch { /* not bound yet */ }
  }
  throw new Error('the bindings never took effect');
}

// W4: 10 access points (AP_URL, where nothing answers: the pushes wait and retry, as in a store whose access
// points are off), 1,000 priced SKUs and 10,000 labels, 1,000 per access point, each command resent until the
// REST summary counts every label (the command link may not have subscribed yet).
async function bindLabels(cloud) {
  const aps = 10, perAp = 1000, skus = 1000;
  const labelsTotal = async () => {
    const res = await fetch(`${process.env.HTTP_URL}/api/v1/summary`, { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } });
    if (!res.ok) return -1;
    const body = await res.json();
    return body?.labels?.total ?? -1;
  };
  const before = await labelsTotal();
  const prices = [];
  for (let k = 0; k < skus; k++) prices.push({ sku: `W4-${k}`, name: `Bench item ${k}`, price: `${1 + (k % 50)}.99`, currency: 'EUR' });
  const commands = [[`retail/${store}/commands/prices`, JSON.stringify({ commandId: `w4-prices-${store}`, prices })]];
  for (let a = 0; a < aps; a++) {
    const bindings = [{ deviceId: `w4-ap-${a}`, kind: 'ap', url: process.env.AP_URL }];
    for (let l = 0; l < perAp; l++) bindings.push({ deviceId: `w4-esl-${a}-${l}`, kind: 'label', sku: `W4-${(a * perAp + l) % skus}`, ap: `w4-ap-${a}` });
    commands.push([`retail/${store}/commands/bindings`, JSON.stringify({ commandId: `w4-labels-${store}-${a}`, bindings })]);
  }
  for (let attempt = 0; attempt < 30; attempt++) {
    for (const [topic, body] of commands) await cloud.publishAsync(topic, body, { qos: 1 });
    for (let i = 0; i < 20; i++) {
      const total = await labelsTotal();
      if (total >= before + aps * perAp) return { labels: aps * perAp, labelsTotal: total, aps, skus };
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error('the label bindings never took effect');
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const seen = new Seen();
const cloud = await cloudSubscriber((id) => seen.add(id));
const device = await connect(deviceUrl, { clientId: `bench-dev-${target}-${mode}`, clean: true });
const result = { mode, target };
try {
  if (mode === 'bind') {
    await bind(device, cloud, seen);
  } else if (mode === 'w1' || mode === 'w1warm') {
    // w1warm: W1 again on the same running peer, after w1 (its own msgIds, so none is a duplicate).
    const n = Number(process.env.BENCH_W1 || 30000);
    const c0 = cpuSeconds(), t0 = now();
    await publishPresses(device, mode, n, 0, null);
    const tLast = await waitAll(seen, mode, n, 600000);
    const c1 = cpuSeconds();
    Object.assign(result, { events: n, seconds: (tLast - t0) / 1000, rate: n / ((tLast - t0) / 1000),
      cpuUsPerEvent: ((c1 - c0) * 1e6) / n, cores: (c1 - c0) / ((tLast - t0) / 1000) });
  } else if (mode === 'w2') {
    const rate = Number(process.env.BENCH_W2_RATE || 500);
    const warm = rate * Number(process.env.BENCH_W2_WARMUP || 5), measured = rate * Number(process.env.BENCH_W2_SECONDS || 20);
    const sentAt = new Map(), latencies = [];
    seen.hook = (id, t) => { if (id.startsWith('w2m-')) latencies.push(t - sentAt.get(id)); };
    await publishPresses(device, 'w2w', warm, rate, sentAt);
    const c0 = cpuSeconds(), t0 = now();
    await publishPresses(device, 'w2m', measured, rate, sentAt);
    const tLast = await waitAll(seen, 'w2m', measured, 120000);
    const c1 = cpuSeconds();
    latencies.sort((a, b) => a - b);
    Object.assign(result, { events: measured, rate, p50: percentile(latencies, 50), p90: percentile(latencies, 90),
      p99: percentile(latencies, 99), max: latencies[latencies.length - 1],
      cpuUsPerEvent: ((c1 - c0) * 1e6) / measured, cores: (c1 - c0) / ((tLast - t0) / 1000) });
  } else if (mode === 'w3') {
    const n = Number(process.env.BENCH_W3 || 50000);
    execSync(process.env.CLOUD_STOP, { stdio: 'inherit', shell: '/bin/bash' });
    const tPub = now();
    await publishPresses(device, 'w3', n, 0, null);
    const acceptSeconds = (now() - tPub) / 1000;
    const c0 = cpuSeconds();
    execSync(process.env.CLOUD_START, { stdio: 'inherit', shell: '/bin/bash' });
    const t0 = now();
    const tLast = await waitAll(seen, 'w3', n, 900000);
    const c1 = cpuSeconds();
    Object.assign(result, { events: n, acceptRate: n / acceptSeconds, seconds: (tLast - t0) / 1000,
      rate: n / ((tLast - t0) / 1000), rateFromFirst: n / ((tLast - seen.first('w3')) / 1000),
      cpuUsPerEvent: ((c1 - c0) * 1e6) / n });
  } else if (mode === 'w4labels') {
    Object.assign(result, await bindLabels(cloud));
  } else if (mode === 'w4fill') {
    // Presses acknowledged while the cloud is away; it stays away, so all of them stay buffered in the outbox.
    const n = Number(process.env.BENCH_W4_PRESSES || 30000);
    await cloud.endAsync();
    execSync(process.env.CLOUD_STOP, { stdio: 'inherit', shell: '/bin/bash' });
    const tPub = now();
    await publishPresses(device, 'w4', n, 0, null);
    Object.assign(result, { events: n, acceptRate: n / ((now() - tPub) / 1000) });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  console.log(JSON.stringify(result));
} finally {
  await device.endAsync();
  if (mode !== 'w4fill') await cloud.endAsync();
}
