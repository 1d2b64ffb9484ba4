// The as-played log: filter by area, gateway, bulletin and time; every event, or the outcome of
// each play (one row per gateway and item); page with "more"; CSV download of the same filter
// (the API writes the CSV). A gateway's event detail is shown as a reason in words.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, show, dateTime, duration, localToUTC, localDate, field, busy } from './dom.js';
import { loadCatalog, areaSelect, gatewayChoice } from './targets.js';

const PAGE = 100;
const REFRESH_MS = 15_000;

export default {
  async render(root, ctx) {
    const { targets, bulletins, names, titles } = await loadCatalog();
    const message = h('div', {});
    const listSlot = h('div', { id: 'playlog-list' });
    const more = h('button', { type: 'button', id: 'playlog-more', hidden: true }, t('playlog.more'));
    let rows = [];
    let cursor = null;

    const area = areaSelect(targets.areas, t('common.allAreas'), ctx.params.area);
    // Typed with suggestions, not a <select>: a province has thousands of gateways.
    const gateway = gatewayChoice(targets.gateways, targets.areas, { id: 'playlog-gateway', selected: ctx.params.gateway });
    const bulletin = h('select', { name: 'bulletin' }, h('option', { value: '' }, t('common.allBulletins')),
      bulletins.map((b) => h('option', { value: b.sha256, selected: b.sha256 === ctx.params.bulletin }, b.title)));
    const view = h('select', { name: 'view', id: 'playlog-view' },
      h('option', { value: 'events' }, t('playlog.view.events')),
      h('option', { value: 'outcomes', selected: ctx.params.view === 'outcomes' }, t('playlog.view.outcomes')));
    const since = h('input', { type: 'datetime-local', name: 'since', id: 'playlog-since' });
    const until = h('input', { type: 'datetime-local', name: 'until', id: 'playlog-until' });
    const filters = () => ({
      area: area.value, gateway: gateway.value() || undefined, bulletin: bulletin.value,
      since: localToUTC(since.value), until: localToUTC(until.value),
    });

    const bulletinCell = (e) => (e.bulletin ? titles.get(e.bulletin) || e.bulletin.slice(0, 12) : '–');
    const reasonCell = (e) => h('span', { title: e.detail || '' }, reason(e.detail, e.kind || e.outcome));
    const columns = {
      events: [
        { label: t('playlog.at'), cell: (e) => dateTime(e.at) },
        { label: t('gateways.name'), cell: (e) => names.gateway(e.gatewayId) },
        { label: t('schedules.bulletin'), cell: bulletinCell },
        { label: t('playlog.kind'), cell: (e) => h('span', { class: 'badge kind-' + e.kind }, t('kind.play.' + e.kind)) },
        { label: t('playlog.position'), class: 'num', cell: (e) => duration(e.positionMs) },
        { label: t('playlog.reason'), cell: reasonCell },
        { label: t('playlog.item'), cell: (e) => h('small', {}, e.itemId || '–') },
      ],
      outcomes: [
        { label: t('playlog.at'), cell: (o) => dateTime(o.firstAt) },
        { label: t('gateways.name'), cell: (o) => names.gateway(o.gatewayId) },
        { label: t('schedules.bulletin'), cell: bulletinCell },
        { label: t('playlog.outcome'), cell: (o) => h('span', { class: 'badge kind-' + o.outcome }, t('kind.play.' + o.outcome)) },
        { label: t('playlog.position'), class: 'num', cell: (o) => duration(o.positionMs) },
        { label: t('playlog.reason'), cell: reasonCell },
        { label: t('playlog.events'), class: 'num', cell: (o) => String(o.events) },
        { label: t('playlog.last'), cell: (o) => dateTime(o.lastAt) },
        { label: t('playlog.item'), cell: (o) => h('small', {}, o.itemId || '–') },
      ],
    };
    const path = () => (view.value === 'outcomes' ? '/play-log/outcomes' : '/play-log');

    // A typed gateway that names none is said so, rather than read as "every gateway".
    const checkGateway = () => {
      if (gateway.value() === null) {
        throw { code: 'validation_failed', message: t('playlog.noSuchGateway', { text: gateway.input.value.trim() }) };
      }
    };
    async function load(append) {
      checkGateway();
      const page = await api.get(path(), { ...filters(), limit: PAGE, cursor: append ? cursor : undefined });
      rows = append ? rows.concat(page.items || []) : (page.items || []);
      cursor = page.next || null;
      more.hidden = !cursor;
      show(listSlot, table(columns[view.value] || columns.events, rows, t('playlog.none')));
    }
    const run = (append) => load(append).then(() => show(message, null), (error) => show(message, errorBox(error)));

    const csv = h('button', { type: 'button', id: 'playlog-csv' }, t('playlog.csv'));
    csv.addEventListener('click', () => busy(csv, async () => {
      try {
        checkGateway();
        const blob = await api.request('GET', path(), { query: { ...filters(), format: 'csv' }, as: 'blob', headers: { Accept: 'text/csv' } });
        const name = view.value === 'outcomes' ? 'loa-play-outcomes' : 'loa-play-log';
        const link = h('a', { href: URL.createObjectURL(blob), download: `${name}-${localDate()}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (error) { show(message, errorBox(error)); }
    }));
    more.addEventListener('click', () => { more.dataset.appended = '1'; run(true); });
    const form = h('form', { class: 'card filters', id: 'playlog-filters' },
      h('div', { class: 'row' }, field(t('common.area'), area), field(t('gateways.name'), gateway.element),
        field(t('schedules.bulletin'), bulletin), field(t('playlog.view'), view)),
      h('div', { class: 'row' }, field(t('playlog.since'), since), field(t('playlog.until'), until),
        h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('playlog.filter')), csv)));
    form.addEventListener('submit', (event) => { event.preventDefault(); delete more.dataset.appended; run(false); });
    view.addEventListener('change', () => { delete more.dataset.appended; run(false); });

    put(root, h('div', { class: 'page-head' }, h('h1', {}, t('playlog.title'))), form, message, listSlot, more);
    await run(false);
    // New plays appear by themselves while the first page is shown (not after "more" was pressed).
    const timer = setInterval(() => { if (!more.dataset.appended) load(false).catch(() => {}); }, REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};

// A gateway's detail (docs/PROTOCOL.md, "Proof of play") in words; what is not recognised is
// shown as the gateway wrote it.
export function reason(detail, kind) {
  if (!detail) return '–';
  const words = detail.split(' ');
  const value = (key) => { const w = words.find((x) => x.startsWith(key + '=')); return w ? w.slice(key.length + 1) : null; };
  const at = () => duration(Number(value('atMs') || 0));
  if (words[0] === 'missed') {
    const why = value('reason');
    if (why === 'gateway-down') return t('reason.gatewayDown');
    if (why === 'gateway-offline') return t('reason.gatewayOffline');
    if (why === 'relay-not-received') return t('reason.relayNotReceived');
    if (why === 'late' || why === null) return t('reason.late');
  }
  if (value('by') === 'gateway-restart') return t('reason.gatewayRestart', { at: at() });
  if (words[0] === 'stopped') return t('reason.stopped', { at: at() });
  if (detail.includes('live source lost') || detail === 'sourceLost') return t('reason.sourceLost');
  if (detail === 'sourceRestored') return t('reason.sourceRestored');
  if (detail === 'restarted') return t('reason.restarted');
  if (detail === 'expired') return t('reason.expired');
  if (value('reason') === 'busy') return t('reason.busy');
  if (value('reason') === 'interrupted') return t('reason.droppedInterrupted');
  if (value('reason') === 'stopped') return t('reason.droppedStopped');
  if (value('fromMs') !== null && words.length === 1) return t('reason.resumedFrom', { at: duration(Number(value('fromMs'))) });
  if (value('by') !== null) return t('reason.preempted', { at: at() });
  if (value('atMs') !== null && words.length === 1 && kind === 'finished') return t('reason.finishedAt', { at: at() });
  return detail;
}
