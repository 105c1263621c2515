// The store dashboard: one page, fed by server-sent events from /dashboard/stream (no token needed, no member
// data). Nothing loads from elsewhere: the store box may have no internet, and the Content-Security-Policy
// allows only this file. Data goes into the page with textContent only, never as HTML. Times are shown in
// the store's time zone (store.timezone), whatever the zone of the device showing the page.
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
let zone = 'UTC';
let clock = null;
let dayClock = null;

function setZone(tz) {
  if (tz === zone && clock) return;
  zone = tz;
  const opts = { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  clock = new Intl.DateTimeFormat('en-GB', opts);
  dayClock = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short' });
}

function text(id, value) {
  $(id).textContent = value === undefined || value === null ? '–' : String(value);
}

/** HH:MM:SS in the store's zone. */
function time(iso) {
  return iso && clock ? clock.format(new Date(iso)) : '';
}

function short(iso) {
  return time(iso).slice(0, 5);
}

/** Fills a table body; an empty table says "none" in one row across all its columns. */
function rows(tbodyId, items, cells, mark) {
  const body = $(tbodyId);
  if (!items || items.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = Number(body.dataset.cols || 1);
    td.className = 'none';
    td.textContent = 'none';
    tr.appendChild(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...items.map((item) => {
    const tr = document.createElement('tr');
    for (const cell of cells(item)) {
      const td = document.createElement('td');
      td.textContent = cell === undefined || cell === null ? '' : String(cell);
      tr.appendChild(td);
    }
    if (mark) mark(tr, item);
    return tr;
  }));
}

function age(seconds) {
  if (!seconds) return 'none';
  if (seconds < 120) return Math.round(seconds) + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return Math.round(seconds / 3600) + ' h';
}

const NOTICE_NAMES = { 'staff-call': 'staff call', 'shelf-empty': 'empty shelf', member: 'member arrived' };

function noticeWhat(n) {
  const name = NOTICE_NAMES[n.kind] || n.kind;
  return n.kind === 'member' && n.tier ? name + ' (' + n.tier + ')' : name;
}

function noticeWhere(n) {
  const parts = [];
  if (n.aisle) parts.push('aisle ' + n.aisle);
  if (n.sku) parts.push(n.sku);
  parts.push(n.sourceId);
  return parts.join(' · ');
}

function renderStaff(staff) {
  const s = staff || {};
  const open = s.openNotices || [];
  text('notices-open-count', open.length ? '(' + open.length + ')' : '');
  rows('notices-open', open, (n) => [noticeWhat(n), noticeWhere(n), time(n.createdAt)], (tr, n) => {
    tr.dataset.source = n.sourceId;
    tr.dataset.kind = n.kind;
    tr.className = n.kind === 'staff-call' ? 'urgent' : '';
  });
  rows('notices-acked', s.ackedToday || [], (n) => [noticeWhat(n), noticeWhere(n), n.ackedBy, time(n.ackedAt)],
    (tr, n) => { tr.dataset.source = n.sourceId; });
  rows('reorders-open', s.reorders || [], (r) => [r.buttonId, r.sku, r.qty,
    r.state === 'held' ? time(r.cancelUntil) : 'needs confirming'], (tr, r) => { tr.dataset.button = r.buttonId; });
  rows('reorders-requested', s.requestedToday || [], (r) => [r.buttonId, r.sku, r.qty, time(r.requestedAt)]);
}

function renderStock(stock) {
  const s = stock || {};
  text('stock-count', s.lowOrNear ? '(' + s.lowOrNear + ')' : '');
  rows('stock-low', s.skus || [], (k) => [k.sku, k.onHand, k.threshold, time(k.updated)], (tr, k) => {
    tr.dataset.sku = k.sku;
    tr.className = k.state === 'low' ? 'bad' : 'warn';
  });
}

// Filled by the replenishment capability's own panel: SKUs on order or at or near their reorder point.
function renderReplenishment(r) {
  const items = r && (r.skus || r.replenishment);
  $('replenishment-panel').hidden = !items;
  if (items) {
    rows('replenishment', items, (k) => [k.sku, k.onHand, k.onOrder, k.reorderPoint, k.daysOfCover == null ? '' : k.daysOfCover]);
  }
}

function renderAttention(a, labels) {
  const s = a || {};
  text('offline-count', s.offlineCount ? '(' + s.offlineCount + ')' : '');
  rows('offline', s.offline || [], (d) => [d.deviceId, d.kind, d.lastSeen ? time(d.lastSeen) : 'not since start']);
  rows('low-battery', s.lowBattery || [], (d) => [d.deviceId, d.kind, d.battery + ' %']);
  rows('labels-worst', (labels && labels.worst) || [], (w) => [w.labelId, w.state, w.reason, time(w.since)]);
}

function renderDevices(devices) {
  const kinds = Object.keys(devices || {}).filter((k) => devices[k].registered > 0 || devices[k].online > 0);
  rows('devices', kinds, (k) => [k, devices[k].online, devices[k].registered], (tr, k) => { tr.dataset.kind = k; });
}

function renderCounts(valueId, tbodyId, counts) {
  const keys = Object.keys(counts || {}).sort();
  text(valueId, keys.reduce((sum, k) => sum + counts[k], 0));
  rows(tbodyId, keys, (k) => [k.replace(/^retail\./, ''), counts[k]]);
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

function svg(name, attrs, content) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (content !== undefined) el.textContent = content;
  return el;
}

/** Stacked bars per minute, one colour per kind of event; inline SVG, so it needs nothing from elsewhere. */
function renderChart(points, kinds) {
  const chart = $('chart');
  const w = 900, h = 200, left = 36, bottom = 20;
  const max = Math.max(1, ...points.map((p) => p.count));
  const bar = (w - left) / Math.max(1, points.length);
  const parts = [
    svg('text', { x: 2, y: 12, class: 'axis' }, String(max)),
    svg('text', { x: 2, y: h - bottom, class: 'axis' }, '0'),
    svg('line', { x1: left, y1: h - bottom, x2: w, y2: h - bottom, class: 'base' }),
  ];
  points.forEach((p, i) => {
    let y = h - bottom;
    kinds.forEach((kind, k) => {
      const n = (p.byKind || {})[kind] || 0;
      if (!n) return;
      const bh = (h - bottom - 16) * n / max;
      y -= bh;
      const rect = svg('rect', { x: (left + i * bar + 1).toFixed(1), y: y.toFixed(1),
        width: Math.max(1, bar - 2).toFixed(1), height: bh.toFixed(1), class: 'k' + (k % 8) });
      rect.appendChild(svg('title', {}, short(p.minute) + ' ' + kind + ': ' + n));
      parts.push(rect);
    });
  });
  if (points.length) {
    parts.push(svg('text', { x: left, y: h - 4, class: 'axis' }, short(points[0].minute)));
    parts.push(svg('text', { x: w - 2, y: h - 4, class: 'axis', 'text-anchor': 'end' },
      short(points[points.length - 1].minute)));
  }
  chart.replaceChildren(...parts);
  chart.dataset.total = String(points.reduce((sum, p) => sum + p.count, 0));
  $('chart-legend').replaceChildren(...kinds.map((kind, k) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = 'swatch k' + (k % 8);
    item.append(swatch, document.createTextNode(kind));
    return item;
  }));
  if (!kinds.length) $('chart-legend').textContent = 'no events in the last hour';
}

function render(s) {
  setZone(s.timezone || 'UTC');
  text('status', s.status);
  $('status').className = 'pill ' + (s.status === 'UP' ? 'good' : 'bad');
  text('since', dayClock.format(new Date(s.since)) + ', ' + short(s.since));
  text('timezone', '(' + zone + ')');
  text('updated', time(s.at));
  renderStaff(s.staff);
  renderStock(s.stock);
  renderReplenishment(s.replenishment);
  renderAttention(s.attention, s.labels);
  const visits = (s.members && s.members.visitsByTier) || {};
  renderCounts('visits-today', 'visits-by-tier', visits);
  renderCounts('dead-today', 'dead-by-reason', s.deadLettersByReason || {});
  renderCounts('events-today', 'events-by-type', s.events || {});
  renderDevices(s.devices);
  renderLabels(s.labels);
  renderOrders(s.orders);
  text('cloud-state', s.cloud.state);
  $('cloud-state').className = 'value ' + (s.cloud.state === 'CONNECTED' ? 'good' : 'bad');
  text('cloud-inflight', s.cloud.inFlight);
  text('cloud-error', s.cloud.state === 'CONNECTED' || !s.cloud.lastError ? ''
    : s.cloud.lastError + (s.cloud.lastErrorAt ? ' (' + time(s.cloud.lastErrorAt) + ')' : ''));
  text('outbox-pending', s.outbox.pending + (s.outbox.full ? ' (FULL)' : ''));
  text('outbox-age', age(s.outbox.oldestPendingAgeSeconds));
  renderChart(s.eventsPerMinute || [], s.eventKinds || []);
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
