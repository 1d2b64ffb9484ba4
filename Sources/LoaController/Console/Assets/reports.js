// The period report (báo cáo định kỳ) a province sends upward: per commune, what was broadcast
// by TT 39 class and by origin, programs run against due, plays missed, gateways' time online;
// a chart of the last six months' minutes by class; the CSV the API writes.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, svg, put, table, errorBox, show, field, busy, localDate } from './dom.js';
import { loadTargets, areaSelect } from './targets.js';

const CLASSES = ['own', 'normal', 'priority', 'emergency'];
const ORIGINS = ['own', 'district', 'province', 'centre', 'relay'];
const MONTHS = 6;

function monthsBack(month, n) {
  const [year, m] = month.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(year, m - 1 - (n - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

const tally = (x) => `${x.count} · ${x.minutes} ${t('report.min')}`;
const percent = (part, whole) => (whole > 0 ? `${(100 * part / whole).toFixed(1)}%` : '–');


/** Stacked bars, one a month: minutes by class, with a legend. */
function chart(reports) {
  const width = 560, height = 220, left = 48, bottom = 28, barGap = 16;
  const totals = reports.map((r) => r.report ? r.report.totals.byClass : null);
  const max = Math.max(1, ...totals.map((c) => (c ? CLASSES.reduce((s, k) => s + c[k].minutes, 0) : 0)));
  const slot = (width - left) / reports.length;
  const scale = (height - bottom - 10) / max;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'report-chart', id: 'report-chart', role: 'img', 'aria-label': t('report.chartTitle') });
  root.append(svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
  root.append(svg('text', { x: left - 6, y: 14, 'text-anchor': 'end', class: 'tick' }, `${Math.round(max)}`));
  root.append(svg('text', { x: left - 6, y: height - bottom, 'text-anchor': 'end', class: 'tick' }, '0'));
  reports.forEach((r, i) => {
    const x = left + i * slot + barGap / 2;
    let y = height - bottom;
    for (const k of CLASSES) {
      const minutes = totals[i] ? totals[i][k].minutes : 0;
      const tall = minutes * scale;
      if (tall > 0) {
        const bar = svg('rect', { x, y: y - tall, width: slot - barGap, height: tall, class: 'bar class-' + k, 'data-month': r.month, 'data-class': k });
        bar.append(svg('title', {}, `${r.month} ${t('class.' + k)}: ${minutes} ${t('report.min')}`));
        root.append(bar);
      }
      y -= tall;
    }
    root.append(svg('text', { x: x + (slot - barGap) / 2, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, r.month));
  });
  const legend = h('ul', { class: 'legend' }, CLASSES.map((k) => h('li', {}, h('span', { class: 'swatch class-' + k }), t('class.' + k))));
  return h('div', { class: 'card' }, h('h2', {}, t('report.chartTitle')), root, legend);
}

export default {
  async render(root, ctx) {
    const targets = await loadTargets();
    const area = areaSelect(targets.areas, t('common.choose'), ctx.params.area || ctx.me.areaId || (targets.areas[0] || {}).id);
    area.id = 'report-area';
    const month = h('input', { type: 'month', name: 'month', id: 'report-month', value: ctx.params.month || localDate().slice(0, 7) });
    const message = h('div', { id: 'report-message' });
    const chartSlot = h('div', { id: 'report-chart-slot' });
    const tableSlot = h('div', { id: 'report-table' });
    const show1 = h('button', { type: 'submit', class: 'primary', id: 'report-show' }, t('report.show'));
    const csv = h('button', { type: 'button', id: 'report-csv' }, t('report.csv'));
    const csvGateways = h('button', { type: 'button', id: 'report-csv-gateways' }, t('report.csvGateways'));

    const communeColumns = [
      { label: t('common.area'), cell: (c) => c.name },
      { label: t('report.broadcasts'), class: 'num', cell: (c) => tally(c.broadcasts) },
      ...CLASSES.map((k) => ({ label: t('class.' + k), class: 'num', cell: (c) => tally(c.byClass[k]) })),
      ...ORIGINS.filter((o) => o !== 'own').map((o) => ({ label: t('origin.' + o), class: 'num', cell: (c) => tally(c.byOrigin[o]) })),
      { label: t('report.programs'), class: 'num', cell: (c) => `${c.programs.run}/${c.programs.planned}` },
      { label: t('report.missed'), class: 'num', cell: (c) => String(c.missed) },
      { label: t('report.online'), class: 'num', cell: (c) => percent(c.online, c.observed) },
      { label: t('report.uptime'), class: 'num', cell: (c) => percent(c.up, c.observed) },
    ];

    async function load() {
      if (!area.value) { show(message, errorBox({ code: 'validation_failed', message: t('report.chooseArea') })); return; }
      const months = monthsBack(month.value, MONTHS);
      const reports = await Promise.all(months.map((m) => api.get('/reports/period', { area: area.value, month: m })
        .then((report) => ({ month: m, report }), () => ({ month: m, report: null }))));
      const current = reports[reports.length - 1].report || await api.get('/reports/period', { area: area.value, month: month.value });
      const sum = (list, key) => list.reduce((s, g) => s + g[key], 0);
      const rows = current.communes.map((c) => ({ ...c, online: sum(c.gateways, 'onlineSeconds'), up: sum(c.gateways, 'uptimeSeconds'),
        observed: sum(c.gateways, 'observedSeconds') }));
      const tot = current.totals;
      rows.push({ name: t('report.total'), broadcasts: tot.broadcasts, byClass: tot.byClass, byOrigin: tot.byOrigin, programs: tot.programs,
        missed: tot.missed, online: tot.onlineSeconds, up: tot.uptimeSeconds, observed: tot.observedSeconds, total: true });
      show(chartSlot, chart(reports));
      show(tableSlot, h('div', { class: 'card' }, h('h2', {}, t('report.tableTitle', { from: current.from, to: current.to })),
        table(communeColumns, rows, t('report.none'), (c) => ({ 'data-area': c.areaId || 'total', class: c.total ? 'total' : null }))));
      show(message, null);
    }

    const download = (button, rows) => busy(button, async () => {
      try {
        const blob = await api.request('GET', '/reports/period', { query: { area: area.value, month: month.value, format: 'csv', rows },
          as: 'blob', headers: { Accept: 'text/csv' } });
        const link = h('a', { href: URL.createObjectURL(blob), download: `loa-report-${area.value}-${month.value}${rows === 'gateways' ? '-gateways' : ''}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (error) { show(message, errorBox(error)); }
    });
    csv.addEventListener('click', () => download(csv, 'communes'));
    csvGateways.addEventListener('click', () => download(csvGateways, 'gateways'));
    const form = h('form', { class: 'card filters', id: 'report-filters' },
      h('div', { class: 'row' }, field(t('common.area'), area), field(t('report.month'), month),
        h('div', { class: 'buttons' }, show1, csv, csvGateways)),
      h('p', { class: 'hint' }, t('report.intro')));
    form.addEventListener('submit', (event) => { event.preventDefault(); busy(show1, () => load().catch((error) => show(message, errorBox(error)))); });
    put(root, h('div', { class: 'page-head' }, h('h1', {}, t('report.title'))), form, message, chartSlot, tableSlot);
    await load().catch((error) => show(message, errorBox(error)));
  },
};
