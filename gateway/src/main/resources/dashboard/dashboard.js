// The store dashboard: one page, fed by server-sent events from /dashboard/stream (aggregate counts only,
// no token needed). Nothing loads from elsewhere: the store box has no internet. Data goes into the page
// with textContent only, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);

function text(id, value) {
  $(id).textContent = value === undefined || value === null ? '–' : String(value);
}

function rows(tbodyId, items, cells) {
  const body = $(tbodyId);
  body.replaceChildren(...items.map((item) => {
    const tr = document.createElement('tr');
    for (const cell of cells(item)) {
      const td = document.createElement('td');
      td.textContent = cell === undefined || cell === null ? '' : String(cell);
      tr.appendChild(td);
    }
    return tr;
  }));
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

function age(seconds) {
  if (!seconds) return 'none';
  if (seconds < 120) return Math.round(seconds) + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return Math.round(seconds / 3600) + ' h';
}

function renderDevices(devices) {
  const kinds = Object.keys(devices || {}).filter((k) => devices[k].registered > 0 || devices[k].online > 0);
  rows('devices', kinds, (k) => [k, devices[k].online, devices[k].registered]);
  for (const tr of $('devices').children) {
    tr.dataset.kind = tr.firstChild.textContent;
  }
}

// Labels and orders come from other capabilities; until the summary carries them, say so.
function renderLabels(labels) {
  const has = labels && labels.current !== undefined;
  $('labels').hidden = !has;
  $('labels-none').hidden = has;
  if (!has) return;
  text('labels-current', labels.current);
  text('labels-pending', labels.pending);
  text('labels-failed', labels.failed);
  rows('labels-worst', labels.worst || [], (w) => [w.labelId, w.state, w.reason, time(w.since)]);
}

function renderOrders(orders) {
  const has = orders && orders.waiting !== undefined;
  $('orders').hidden = !has;
  $('orders-none').hidden = has;
  if (!has) return;
  text('orders-waiting', orders.waiting);
  text('orders-picking', orders.picking);
  text('orders-picked', orders.picked);
  text('orders-late', orders.late);
}

function renderChart(points) {
  const canvas = $('chart');
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 24;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(1, ...points.map((p) => p.count));
  const bar = (w - pad) / points.length;
  ctx.fillStyle = '#3b6fb6';
  points.forEach((p, i) => {
    const bh = (h - pad) * p.count / max;
    ctx.fillRect(pad + i * bar + 1, h - pad - bh, Math.max(1, bar - 2), bh);
  });
  ctx.fillStyle = '#666';
  ctx.font = '11px sans-serif';
  ctx.fillText(String(max), 2, 12);
  ctx.fillText('0', 2, h - pad);
  if (points.length) {
    ctx.fillText(time(points[0].minute), pad, h - 6);
    const last = time(points[points.length - 1].minute);
    ctx.fillText(last, w - ctx.measureText(last).width - 2, h - 6);
  }
  canvas.dataset.total = String(points.reduce((sum, p) => sum + p.count, 0));
}

function render(s) {
  text('status', s.status);
  $('status').className = 'pill ' + (s.status === 'UP' ? 'good' : 'bad');
  text('since', time(s.since));
  text('updated', time(s.at));
  text('cloud-state', s.cloud.state);
  $('cloud-state').className = 'value ' + (s.cloud.state === 'CONNECTED' ? 'good' : 'bad');
  text('cloud-inflight', s.cloud.inFlight);
  text('cloud-error', s.cloud.state === 'CONNECTED' ? '' : s.cloud.lastError);
  text('outbox-pending', s.outbox.pending + (s.outbox.full ? ' (FULL)' : ''));
  text('outbox-age', age(s.outbox.oldestPendingAgeSeconds));
  const types = Object.keys(s.events || {}).sort();
  text('events-today', types.reduce((sum, t) => sum + s.events[t], 0));
  rows('events-by-type', types, (t) => [t.replace(/^retail\./, ''), s.events[t]]);
  renderDevices(s.devices);
  renderLabels(s.labels);
  renderOrders(s.orders);
  renderChart(s.eventsPerMinute || []);
  $('dead-none').hidden = (s.deadLetters || []).length > 0;
  rows('dead-letters', s.deadLetters || [], (d) => [time(d.at), d.reason, d.deviceId, d.address]);
}

function connect() {
  const stream = new EventSource('/dashboard/stream');
  stream.addEventListener('open', () => text('stream', 'connected'));
  stream.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
  // EventSource reconnects by itself (the gateway asks for 2 s); show that the numbers may be stale.
  stream.addEventListener('error', () => text('stream', 'reconnecting'));
}

connect();
