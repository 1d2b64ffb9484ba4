// The as-played log: filter by area, gateway, bulletin and time; page with "more"; CSV download
// of the same filter (the API writes the CSV).
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, show, dateTime, duration, localToUTC, localDate, field, busy } from './dom.js';
import { loadCatalog, areaSelect } from './targets.js';

const PAGE = 100;

export default {
  async render(root, ctx) {
    const { targets, bulletins, names, titles } = await loadCatalog();
    const message = h('div', {});
    const listSlot = h('div', { id: 'playlog-list' });
    const more = h('button', { type: 'button', id: 'playlog-more', hidden: true }, t('playlog.more'));
    let rows = [];
    let cursor = null;

    const area = areaSelect(targets.areas, t('common.allAreas'), ctx.params.area);
    const gateway = h('select', { name: 'gateway' }, h('option', { value: '' }, t('common.allGateways')),
      targets.gateways.map((g) => h('option', { value: g.id, selected: g.id === ctx.params.gateway }, g.name)));
    const bulletin = h('select', { name: 'bulletin' }, h('option', { value: '' }, t('common.allBulletins')),
      bulletins.map((b) => h('option', { value: b.sha256, selected: b.sha256 === ctx.params.bulletin }, b.title)));
    const since = h('input', { type: 'datetime-local', name: 'since', id: 'playlog-since' });
    const until = h('input', { type: 'datetime-local', name: 'until', id: 'playlog-until' });
    const filters = () => ({
      area: area.value, gateway: gateway.value, bulletin: bulletin.value,
      since: localToUTC(since.value), until: localToUTC(until.value),
    });

    const columns = [
      { label: t('playlog.at'), cell: (e) => dateTime(e.at) },
      { label: t('gateways.name'), cell: (e) => names.gateway(e.gatewayId) },
      { label: t('schedules.bulletin'), cell: (e) => (e.bulletin ? titles.get(e.bulletin) || e.bulletin.slice(0, 12) : '–') },
      { label: t('playlog.kind'), cell: (e) => h('span', { class: 'badge kind-' + e.kind }, t('kind.play.' + e.kind)) },
      { label: t('playlog.position'), class: 'num', cell: (e) => duration(e.positionMs) },
      { label: t('playlog.item'), cell: (e) => h('small', {}, e.itemId || '–') },
    ];

    async function load(append) {
      const page = await api.get('/play-log', { ...filters(), limit: PAGE, cursor: append ? cursor : undefined });
      rows = append ? rows.concat(page.items || []) : (page.items || []);
      cursor = page.next || null;
      more.hidden = !cursor;
      show(listSlot, table(columns, rows, t('playlog.none')));
    }
    const run = (append) => load(append).then(() => show(message, null), (error) => show(message, errorBox(error)));

    const csv = h('button', { type: 'button', id: 'playlog-csv' }, t('playlog.csv'));
    csv.addEventListener('click', () => busy(csv, async () => {
      try {
        const blob = await api.request('GET', '/play-log', { query: { ...filters(), format: 'csv' }, as: 'blob', headers: { Accept: 'text/csv' } });
        const link = h('a', { href: URL.createObjectURL(blob), download: `loa-play-log-${localDate()}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (error) { show(message, errorBox(error)); }
    }));
    more.addEventListener('click', () => run(true));
    const form = h('form', { class: 'card filters', id: 'playlog-filters' },
      h('div', { class: 'row' }, field(t('common.area'), area), field(t('gateways.name'), gateway),
        field(t('schedules.bulletin'), bulletin)),
      h('div', { class: 'row' }, field(t('playlog.since'), since), field(t('playlog.until'), until),
        h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('playlog.filter')), csv)));
    form.addEventListener('submit', (event) => { event.preventDefault(); run(false); });

    put(root, h('div', { class: 'page-head' }, h('h1', {}, t('playlog.title'))), form, message, listSlot, more);
    await load(false);
  },
};
