// Gateways at a glance (the technician's page): every gateway in scope with its health, refreshed
// every 10 s; a detail panel with health history and the device commands; adding areas and gateways.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, svg, put, table, errorBox, okBox, show, dateTime, timeOnly, ago, bytes, number, field, busy, keepingFocus } from './dom.js';
import { areaSelect } from './targets.js';
import { reason } from './playlog.js';

const REFRESH_MS = 10_000;
const PAGE = 200;  // gateways per page: a province's thousands are paged, not drawn at once

// Health keys as gateways send them (LoaProtocol HealthReport); older names accepted too.
const temperature = (health) => health.temperatureCelsius ?? health.temperatureC;
const lastError = (health) => (Array.isArray(health.lastErrors) ? health.lastErrors.at(-1) : health.lastError);

// Thresholds past which a value is shown as a warning: a hot box, a nearly full card, a clock
// far enough off that neighbouring clusters echo.
const warnings = {
  temperature: (c) => c !== undefined && c >= 70,
  disk: (free, total) => free !== undefined && (free < 200 * 1024 * 1024 || (total && free / total < 0.1)),
  clock: (ms) => ms !== undefined && Math.abs(ms) > 50,
};

function statusCell(gateway) {
  return h('span', { class: 'status ' + (gateway.online ? 'online' : 'offline') },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), t(gateway.online ? 'gateways.online' : 'gateways.offline'));
}

function warnable(text, warn) { return h('span', { class: warn ? 'warn' : '' }, text); }

function columns(areaName) {
  const health = (g) => g.health || {};
  return [
    { label: t('gateways.status'), cell: statusCell },
    { label: t('gateways.name'), cell: (g) => h('span', {}, h('strong', {}, g.name), h('br'), h('small', {}, g.id)) },
    { label: t('gateways.area'), cell: (g) => areaName(g.areaId) },
    { label: t('gateways.nowPlaying'), cell: (g) => health(g).nowPlayingTitle || health(g).nowPlaying || t('gateways.silent') },
    { label: t('gateways.volume'), class: 'num', cell: (g) => (health(g).volumePercent ?? null) === null ? '–' : `${health(g).volumePercent}%` },
    { label: t('gateways.amplifier'), cell: (g) => health(g).amplifierOn === undefined ? '–' : t(health(g).amplifierOn ? 'gateways.on' : 'gateways.off') },
    { label: t('gateways.disk'), class: 'num', cell: (g) => warnable(bytes(health(g).diskFreeBytes), warnings.disk(health(g).diskFreeBytes, health(g).diskTotalBytes)) },
    { label: t('gateways.temperature'), class: 'num', cell: (g) => warnable(temperature(health(g)) === undefined ? '–' : `${number(temperature(health(g)), 1)} °C`, warnings.temperature(temperature(health(g)))) },
    { label: t('gateways.clock'), class: 'num', cell: (g) => warnable(health(g).clockOffsetMs === undefined ? '–' : `${number(health(g).clockOffsetMs, 1)} ms`, warnings.clock(health(g).clockOffsetMs)) },
    { label: t('gateways.lastError'), class: 'wrap', cell: (g) => lastError(health(g)) || '–' },
    { label: t('gateways.lastSeen'), cell: (g) => h('span', { title: dateTime(g.lastSeenAt) }, ago(g.lastSeenAt)) },
  ];
}

/** The command buttons; each answer (or refusal) lands in `slot`. */
function commandPanel(gateway, slot) {
  const send = (button, command) => busy(button, async () => {
    show(slot, okBox(t('gateways.sending')));
    try {
      const answer = await api.post(`/gateways/${encodeURIComponent(gateway.id)}/commands`, command);
      if (answer && 'ok' in answer) {
        const text = answer.message || t(answer.ok ? 'gateways.done' : 'gateways.failed');
        show(slot, answer.ok ? okBox(text) : errorBox({ code: 'command_failed', message: text }));
        if (answer.output) slot.append(h('pre', { class: 'output' }, answer.output));
      } else {
        show(slot, okBox(t('gateways.queued', { id: answer ? answer.commandId : '' })));
      }
    } catch (error) {
      show(slot, errorBox(error));
    }
  });
  const seconds = h('input', { type: 'number', min: 1, max: 60, value: 5, name: 'seconds' });
  const frequency = h('input', { type: 'number', min: 100, max: 8000, step: 10, value: 1000, name: 'frequency' });
  const volume = h('input', { type: 'range', min: 0, max: 100, value: (gateway.health && gateway.health.volumePercent) ?? 80, name: 'volume' });
  const volumeText = h('output', {}, `${volume.value}%`);
  volume.addEventListener('input', () => { volumeText.textContent = `${volume.value}%`; });
  const lines = h('input', { type: 'number', min: 10, max: 1000, value: 100, name: 'lines' });
  const button = (key, onclick, cls = '') => h('button', { type: 'button', class: cls, 'data-action': key, onclick: (e) => onclick(e.currentTarget) }, t('gateways.cmd.' + key));
  return h('div', { class: 'commands' },
    h('div', { class: 'row' }, field(t('gateways.toneSeconds'), seconds), field(t('gateways.toneHz'), frequency),
      button('testTone', (b) => send(b, { action: 'test-tone', seconds: Number(seconds.value), frequencyHz: Number(frequency.value) }))),
    h('div', { class: 'row' }, field(t('gateways.volume'), h('span', { class: 'range' }, volume, volumeText)),
      button('volume', (b) => send(b, { action: 'volume', percent: Number(volume.value) }))),
    h('div', { class: 'row' }, field(t('gateways.logLines'), lines),
      button('logs', (b) => send(b, { action: 'logs', lines: Number(lines.value) })),
      button('restart', (b) => { if (confirm(t('gateways.confirmRestart', { name: gateway.name }))) send(b, { action: 'restart' }); }, 'danger')));
}

/** The 10 newest reports, newest first, whatever order the API lists them in. */
function historyTable(history) {
  const rows = [...history].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 10);
  return table([
    { label: t('gateways.reportAt'), cell: (r) => dateTime(r.at) },
    { label: t('gateways.volume'), class: 'num', cell: (r) => (r.report.volumePercent ?? '–') + (r.report.volumePercent !== undefined ? '%' : '') },
    { label: t('gateways.temperature'), class: 'num', cell: (r) => temperature(r.report) === undefined ? '–' : `${number(temperature(r.report), 1)} °C` },
    { label: t('gateways.disk'), class: 'num', cell: (r) => bytes(r.report.diskFreeBytes) },
    { label: t('gateways.clock'), class: 'num', cell: (r) => r.report.clockOffsetMs === undefined ? '–' : `${number(r.report.clockOffsetMs, 1)} ms` },
  ], rows, t('gateways.noHistory'));
}

/** The last live stream as this gateway heard it: received, lost (with the share of all sent), late. */
function liveReception(live) {
  if (!live) return '–';
  const sent = live.receivedPayloads + live.lostPayloads;
  return t('gateways.liveReceptionValue', {
    stream: live.streamId, received: live.receivedPayloads, lost: live.lostPayloads, late: live.latePayloads,
    percent: number(sent ? (100 * live.lostPayloads) / sent : 0, 1),
  }) + (live.bufferMs === undefined ? '' : t('gateways.liveBufferValue', { buffer: live.bufferMs, least: live.leastBufferMs ?? live.bufferMs }));
}

/** The clock discipline and the loudspeaker against the time line, in words. */
function clockSync(sync) {
  if (!sync) return t('gateways.syncUnknown');
  const parts = [];
  if (sync.driftPpm !== undefined) parts.push(t('gateways.syncDrift', { ppm: number(sync.driftPpm, 2) }));
  if (sync.boundMs !== undefined) parts.push(t('gateways.syncBound', { ms: number(sync.boundMs, 1), exchanges: sync.exchanges ?? '–' }));
  if (sync.timelineErrorMs !== undefined) parts.push(t('gateways.syncTimeline', { ms: number(sync.timelineErrorMs, 2) }));
  if (sync.cardDriftPpm !== undefined) parts.push(t('gateways.syncCard', { ppm: number(sync.cardDriftPpm, 1) }));
  return parts.join(' · ') || '–';
}

/** Hours from seconds, '–' when the gateway did not say. */
function hours(seconds) {
  return seconds === undefined ? '–' : `${number(seconds / 3600, 1)} h`;
}

/** An ALSA PCM state in words, the raw name beside it for a technician. */
function alsaState(state) {
  if (!state) return '–';
  const key = 'alsaState.' + state.toLowerCase();
  const words = t(key);
  return words === key ? state : `${words} (${state})`;
}

function factsOf(g, areaName) {
  const health = g.health || {};
  const facts = [
    [t('gateways.status'), statusCell(g)],
    [t('gateways.area'), areaName(g.areaId)],
    [t('gateways.location'), g.location ? `${number(g.location.latitude, 5)}, ${number(g.location.longitude, 5)}` : '–'],
    [t('gateways.nowPlaying'), health.nowPlayingTitle || health.nowPlaying || t('gateways.silent')],
    [t('gateways.volume'), health.volumePercent === undefined ? '–' : `${health.volumePercent}%`],
    [t('gateways.software'), health.softwareVersion || '–'],
    [t('gateways.uptime'), hours(health.serviceUptimeSeconds)],
    [t('gateways.machineUptime'), hours(health.uptimeSeconds)],
    [t('gateways.load'), health.load1 === undefined ? '–' : number(health.load1, 2)],
    [t('gateways.memory'), health.memoryUsedBytes === undefined ? '–'
      : `${bytes(health.memoryUsedBytes)}${health.memoryTotalBytes ? ' / ' + bytes(health.memoryTotalBytes) : ''}`],
    [t('gateways.alsa'), alsaState(health.alsaState)],
    [t('gateways.rtt'), health.linkRttMs === undefined ? '–' : `${number(health.linkRttMs, 0)} ms`],
    [t('gateways.sync'), clockSync(health.clockSync)],
    [t('gateways.liveReception'), liveReception(health.liveReception)],
    [t('gateways.scheduleVersion'), String(g.scheduleVersion ?? '–')],
    [t('gateways.healthAt'), dateTime(health.healthAt)],
    [t('gateways.lastSeen'), dateTime(g.lastSeenAt)],
  ];
  const errors = Array.isArray(health.lastErrors) ? health.lastErrors : (health.lastError ? [health.lastError] : []);
  return [
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    errors.length ? h('div', {}, h('h3', {}, t('gateways.lastErrors')), h('ul', { class: 'errors' }, errors.map((e) => h('li', {}, e)))) : null,
  ];
}

const HISTORY_REPORTS = 60;  // health reports read for the charts (the table shows the 10 newest)
const PLAYS_SHOWN = 10;

// What the charts draw from each report: a value (or undefined), how it reads, and when it is bad.
const SERIES = [
  { key: 'rtt', value: (r) => r.linkRttMs, format: (v) => `${number(v, 0)} ms` },
  { key: 'syncBound', value: (r) => r.clockSync && r.clockSync.boundMs, format: (v) => `± ${number(v, 1)} ms` },
  { key: 'drift', value: (r) => r.clockSync && r.clockSync.driftPpm, format: (v) => `${number(v, 2)} ppm` },
  { key: 'temperature', value: (r) => temperature(r), format: (v) => `${number(v, 1)} °C`, warn: (v) => warnings.temperature(v) },
  { key: 'disk', value: (r) => r.diskFreeBytes, format: (v) => bytes(v), warn: (v, r) => warnings.disk(v, r.diskTotalBytes) },
  { key: 'liveBuffer', value: (r) => r.liveReception && r.liveReception.bufferMs, format: (v) => `${number(v, 0)} ms` },
];


/** One small chart: the series over the reports' times, its latest value, and its range. */
function sparkline(series, points) {
  const W = 240, H = 56, P = 4;
  const times = points.map((p) => p.at);
  const values = points.map((p) => p.value);
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const v0 = Math.min(...values), v1 = Math.max(...values);
  const x = (at) => P + (t1 > t0 ? ((at - t0) / (t1 - t0)) * (W - 2 * P) : (W - 2 * P) / 2);
  const y = (v) => H - P - (v1 > v0 ? ((v - v0) / (v1 - v0)) * (H - 2 * P) : (H - 2 * P) / 2);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  const bad = series.warn && series.warn(last.value, last.report);
  return h('figure', { class: 'spark' + (bad ? ' warn' : ''), dataset: { series: series.key, points: points.length } },
    h('figcaption', {}, h('span', {}, t('gateways.chart.' + series.key)), h('strong', {}, series.format(last.value))),
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('gateways.chartLabel', {
      name: t('gateways.chart.' + series.key), min: series.format(v0), max: series.format(v1), count: points.length }) },
    svg('path', { d: path, class: 'spark-line' }),
    svg('circle', { cx: x(last.at).toFixed(1), cy: y(last.value).toFixed(1), r: 3, class: 'spark-dot' })),
    h('small', {}, t('gateways.chartRange', { min: series.format(v0), max: series.format(v1) })));
}

/** The charts of whatever the reports carry (a series with fewer than two points is left out). */
function charts(history) {
  const reports = [...history].map((r) => ({ at: new Date(r.at).getTime(), report: r.report || {} })).sort((a, b) => a.at - b.at);
  const figures = SERIES.map((series) => {
    const points = reports.map((r) => ({ at: r.at, report: r.report, value: series.value(r.report) }))
      .filter((p) => typeof p.value === 'number' && Number.isFinite(p.value));
    return points.length >= 2 ? sparkline(series, points) : null;
  }).filter(Boolean);
  if (!figures.length) return h('p', { class: 'empty' }, t('gateways.noCharts'));
  const span = reports.length ? `${dateTime(new Date(reports[0].at).toISOString())} → ${dateTime(new Date(reports[reports.length - 1].at).toISOString())}` : '';
  return h('div', {}, h('p', { class: 'hint' }, t('gateways.chartsSpan', { count: reports.length, span })), h('div', { class: 'sparks' }, figures));
}

/** What this gateway played lately, newest first (its as-played events), test tones named as such. */
async function playsOf(id) {
  const page = await api.get('/play-log', { gateway: id, limit: PLAYS_SHOWN });
  const events = page.items || [];
  const titles = new Map();
  await Promise.all([...new Set(events.map((e) => e.bulletin).filter(Boolean))].map(async (sha) => {
    try { titles.set(sha, (await api.get(`/bulletins/${sha}`)).title); } catch { /* not in scope: the hash stays */ }
  }));
  // A live broadcast or relay by its stream's title, not its item id (`live-7`).
  const streams = new Map();
  await Promise.all([...new Set(events.map((e) => /^live-(\d+)$/.exec(e.itemId)).filter(Boolean).map((m) => m[1]))].map(async (stream) => {
    try { streams.set(`live-${stream}`, (await api.get(`/live/${stream}`)).title); } catch { /* not in scope: the id stays */ }
  }));
  const what = (e) => (e.itemId.startsWith('test-tone-') ? t('gateways.testTone')
    : streams.has(e.itemId) ? `${t('gateways.liveItem')}: ${streams.get(e.itemId)}`
      : e.bulletin ? (titles.get(e.bulletin) || e.bulletin.slice(0, 12)) : e.itemId);
  return table([
    { label: t('gateways.playedAt'), cell: (e) => dateTime(e.at) },
    { label: t('gateways.played'), cell: what },
    { label: t('playlog.kind'), cell: (e) => h('span', { class: 'badge kind-' + e.kind }, t('kind.play.' + e.kind)) },
    { label: t('gateways.playedWhy'), class: 'wrap', cell: (e) => reason(e.detail, e.kind) },
  ], events, t('gateways.noPlays'), (e) => ({ dataset: { item: e.itemId, kind: e.kind } }));
}

/**
 * The detail panel of one gateway. `update()` re-reads its state and history (called with each
 * refresh of the table) without rebuilding the command controls, so typed values stay.
 */
async function detail(id, ctx, areaName, close) {
  const path = `/gateways/${encodeURIComponent(id)}`;
  const answer = await api.get(path, { history: HISTORY_REPORTS });
  const g = answer.gateway;
  const slot = h('div', { class: 'command-result' });
  const factsSlot = h('div', {}, factsOf(g, areaName));
  const chartSlot = h('div', { id: 'gateway-charts' }, charts(answer.healthHistory || []));
  const playsSlot = h('div', { id: 'gateway-plays' });
  const historySlot = h('div', { id: 'gateway-history' }, historyTable(answer.healthHistory || []));
  const refreshPlays = async () => {
    try { show(playsSlot, await playsOf(id)); } catch (error) { show(playsSlot, errorBox(error)); }
  };
  await refreshPlays();
  // A panel over the table: Escape closes it (and the focus goes back to the gateway's row).
  const element = h('aside', { class: 'card detail', id: 'gateway-detail', dataset: { id: g.id }, 'aria-labelledby': 'gateway-detail-title',
    onkeydown: (event) => { if (event.key === 'Escape') { event.preventDefault(); close(); } } },
    h('div', { class: 'card-head' }, h('h2', { id: 'gateway-detail-title', tabIndex: -1 }, `${g.name} (${g.id})`),
      h('button', { type: 'button', class: 'link', 'data-action': 'close', onclick: close }, t('common.close'))),
    h('div', { class: 'detail-grid' }, factsSlot,
      ctx.can('gateway.command')
        ? h('div', {}, h('h3', {}, t('gateways.commands')), commandPanel(g, slot), slot)
        : h('p', { class: 'hint' }, t('gateways.noCommandRole'))),
    h('h3', {}, t('gateways.charts')), chartSlot,
    h('h3', {}, t('gateways.plays')), playsSlot,
    h('h3', {}, t('gateways.history')), historySlot);
  const update = async () => {
    const fresh = await api.get(path, { history: HISTORY_REPORTS });
    factsSlot.replaceChildren(...factsOf(fresh.gateway, areaName).filter(Boolean));
    chartSlot.replaceChildren(charts(fresh.healthHistory || []));
    historySlot.replaceChildren(historyTable(fresh.healthHistory || []));
    await refreshPlays();
  };
  return { element, update };
}

/**
 * Forms to add an area (a role that manages areas) and a gateway (one that manages gateways).
 * The new secret is shown once. A user with an area of their own adds below it (no parent is for
 * the system's administrators), and a gateway goes in a commune: only those are offered.
 */
function addForms(areas, reload, slot, ctx) {
  const parent = areaSelect(areas, t('areas.noParent'));
  if (ctx.me.areaId) {
    parent.options[0].remove();
    parent.required = true;
  }
  const areaForm = ctx.can('area.add') ? h('form', { class: 'grid-form', id: 'add-area' },
    field(t('areas.id'), h('input', { name: 'id', required: true, placeholder: 'xa-tan-lap' }), t('areas.idHint')),
    field(t('areas.name'), h('input', { name: 'name', required: true })),
    field(t('areas.kind'), h('select', { name: 'kind' }, ['province', 'district', 'commune'].map((k) => h('option', { value: k, selected: k === 'commune' }, t('kind.' + k))))),
    field(t('areas.parent'), parent),
    h('button', { type: 'submit' }, t('areas.add'))) : null;
  if (areaForm) areaForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(areaForm);
    try {
      await api.post('/areas', { id: data.get('id'), name: data.get('name'), kind: data.get('kind'), parentId: data.get('area') || null });
      show(slot, okBox(t('areas.added', { name: data.get('name') })));
      await reload();
    } catch (error) { show(slot, errorBox(error)); }
  });
  const gatewayForm = h('form', { class: 'grid-form', id: 'add-gateway' },
    field(t('gateways.id'), h('input', { name: 'id', required: true, placeholder: 'xa-tan-lap-01' }), t('areas.idHint')),
    field(t('gateways.name'), h('input', { name: 'name', required: true })),
    field(t('gateways.area'), (() => { const s = areaSelect(areas.filter((a) => a.kind === 'commune'), t('common.choose')); s.required = true; return s; })()),
    field(t('gateways.latitude'), h('input', { name: 'latitude', type: 'number', step: 'any', min: -90, max: 90 })),
    field(t('gateways.longitude'), h('input', { name: 'longitude', type: 'number', step: 'any', min: -180, max: 180 })),
    h('button', { type: 'submit' }, t('gateways.add')));
  gatewayForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(gatewayForm);
    const lat = data.get('latitude');
    const lon = data.get('longitude');
    const body = { id: data.get('id'), name: data.get('name'), areaId: data.get('area') };
    if (lat !== '' && lon !== '') body.location = { latitude: Number(lat), longitude: Number(lon) };
    try {
      const answer = await api.post('/gateways', body);
      show(slot, h('div', { class: 'message ok secret' }, h('strong', {}, t('gateways.added', { name: body.name })), ' ',
        t('gateways.secretOnce'), h('code', { class: 'secret-value' }, answer.secret)));
      await reload();
    } catch (error) { show(slot, errorBox(error)); }
  });
  return h('details', { class: 'card' }, h('summary', {}, t('gateways.addTitle')),
    areaForm ? [h('h3', {}, t('areas.addTitle')), areaForm] : null, h('h3', {}, t('gateways.addGatewayTitle')), gatewayForm);
}

export default {
  async render(root, ctx) {
    let areas = (await api.get('/areas')).items || [];
    let area = ctx.params.area || '';
    let selected = ctx.params.id || null;
    const names = () => new Map(areas.map((a) => [a.id, a.name]));
    let areaNames = names();
    const areaName = (id) => areaNames.get(id) || id || '–';

    const summary = h('p', { class: 'summary', id: 'gateway-summary' });
    const message = h('div', {});
    const listSlot = h('div', { id: 'gateway-list' });
    const detailSlot = h('div', {});
    const filter = areaSelect(areas, t('common.allAreas'), area);
    filter.addEventListener('change', () => { area = filter.value; cursors = [null]; pageIndex = 0; refresh(); });
    const updated = h('small', { class: 'updated' });

    let detailView = null;
    const closeDetail = async () => {
      const was = selected;
      selected = null;
      detailView = null;
      show(detailSlot, null);
      await refresh();
      const row = [...listSlot.querySelectorAll('tr[data-id]')].find((r) => r.dataset.id === was);
      if (row) row.focus();
    };
    // Opened from the keyboard, the focus moves into the panel, so the next Tab reaches its commands.
    const openDetail = async (id, byKeyboard = false) => {
      selected = id;
      detailView = null;
      try {
        detailView = await detail(id, ctx, areaName, closeDetail);
        show(detailSlot, detailView.element);
        detailView.element.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
        if (byKeyboard) detailView.element.querySelector('h2').focus();
      } catch (error) { show(detailSlot, errorBox(error)); }
      refresh(true);
    };

    // Pages by the API's cursor: `cursors[i]` opens page i; the 10 s refresh reloads the page in view.
    let cursors = [null];
    let pageIndex = 0;
    const pager = h('div', { class: 'row pager', id: 'gateway-pager', hidden: true });
    const turn = (delta) => { pageIndex += delta; refresh(); };
    async function refresh(fromDetail = false) {
      try {
        const page = await api.get('/gateways', { area, limit: PAGE, cursor: cursors[pageIndex] });
        const list = page.items || [];
        if (page.next) cursors[pageIndex + 1] = page.next; else cursors = cursors.slice(0, pageIndex + 1);
        const online = list.filter((g) => g.online).length;
        const paged = pageIndex > 0 || Boolean(page.next);
        summary.textContent = paged
          ? t('gateways.summaryPage', { online, shown: list.length, first: pageIndex * PAGE + 1, last: pageIndex * PAGE + list.length })
          : t('gateways.summary', { online, total: list.length });
        pager.hidden = !paged;
        pager.replaceChildren(
          h('button', { type: 'button', id: 'gateway-prev', disabled: pageIndex === 0, onclick: () => turn(-1) }, t('gateways.prevPage')),
          h('span', {}, t('gateways.pageNumber', { page: pageIndex + 1 })),
          h('button', { type: 'button', id: 'gateway-next', disabled: !page.next, onclick: () => turn(1) }, t('gateways.nextPage')));
        keepingFocus(listSlot, () => show(listSlot, table(columns(areaName), list, t('gateways.none'), (g) => ({
          class: [g.online ? '' : 'is-offline', g.id === selected ? 'selected' : ''].join(' ').trim(),
          dataset: { id: g.id }, tabIndex: 0, title: t('gateways.clickForDetail'),
          onclick: () => openDetail(g.id),
          onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openDetail(g.id, true); } },
        }))));
        if (detailView && !fromDetail) await detailView.update();
        updated.textContent = t('common.updatedAt', { time: timeOnly(new Date().toISOString()) });
        show(message, null);
      } catch (error) {
        show(message, errorBox(error));
      }
    }

    const reload = async () => {
      areas = (await api.get('/areas')).items || [];
      areaNames = names();
      const forms = addForms(areas, reload, addMessage, ctx);
      const chosen = filter.value;
      filter.replaceChildren(...areaSelect(areas, t('common.allAreas'), chosen).options);
      forms.open = true;
      addCard.replaceWith(forms);
      addCard = forms;
      await refresh();
    };

    const addMessage = h('div', { id: 'add-message' });
    let addCard = ctx.can('gateway.add') ? addForms(areas, reload, addMessage, ctx) : h('div', {});
    put(root,
      h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('gateways.title')), summary),
        h('div', { class: 'tools' }, field(t('common.area'), filter),
          h('button', { type: 'button', onclick: () => refresh() }, t('common.refresh')), updated)),
      message, listSlot, pager, detailSlot,
      addCard, addMessage);
    await refresh();
    if (selected) openDetail(selected);
    const timer = setInterval(() => refresh(), REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};
