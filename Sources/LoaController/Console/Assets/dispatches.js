// Bulletins sent down (gửi xuống cấp dưới): a province's or district's user sends an approved
// bulletin to areas with TT 39/2020's class — normal (the communes' inbox), priority (the next
// program occurrence, at the front), emergency (at once, repeated) — and follows, per commune,
// what became of it and, per gateway, what played when.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, field, busy } from './dom.js';
import { loadCatalog, areaSelect } from './targets.js';
import { classBadge } from './inbox.js';

const REFRESH_MS = 15_000;

/** The link to the level above (TT 39's information source system) and the links below. */
async function linkCard(names) {
  let link;
  try { link = await api.get('/link'); } catch { return null; }  // not the caller's to see
  const up = link.upstream;
  const rows = [];
  if (up) {
    rows.push(h('p', { id: 'link-upstream' }, t('link.upstream', { url: up.url }), ' ',
      h('span', { class: 'badge link-' + up.state }, t('link.state.' + up.state))));
    rows.push(h('p', { class: 'hint' }, t('link.detail', { success: up.lastSuccess ? dateTime(up.lastSuccess) : '–', taken: up.offersTaken })));
    if (up.lastError) rows.push(h('p', { class: 'message error', id: 'link-error' }, `${dateTime(up.lastErrorAt)}: ${up.lastError}`
      + (up.state === 'retrying' ? ' — ' + t('link.retry', { seconds: Math.round(up.backoffSeconds) }) : '')));
  } else {
    rows.push(h('p', { id: 'link-upstream' }, t('link.noUpstream')));
  }
  if (link.downstreams.length) {
    rows.push(table([
      { label: t('link.downstream'), cell: (d) => d.name },
      { label: t('common.area'), cell: (d) => d.areas.map((a) => names.area(a)).join(', ') },
      { label: t('link.lastPull'), cell: (d) => (d.lastPull ? dateTime(d.lastPull) : '–') },
    ], link.downstreams, '', (d) => ({ 'data-downstream': d.name })));
  }
  return h('div', { class: 'card', id: 'link-card' }, h('h2', {}, t('link.title')), rows);
}

export default {
  async render(root, ctx) {
    const { targets, bulletins, names } = await loadCatalog();
    const approved = bulletins.filter((b) => b.state === 'approved');
    const message = h('div', { id: 'dispatch-message' });
    const listSlot = h('div', { id: 'dispatch-list' });
    const detail = h('div', { id: 'dispatch-detail' });
    let shown = null;

    const bulletin = h('select', { name: 'bulletin', id: 'dispatch-bulletin' },
      approved.map((b) => h('option', { value: b.sha256 }, b.title)));
    const area = areaSelect(targets.areas, t('common.choose'));
    area.id = 'dispatch-area';
    const klass = h('select', { name: 'class', id: 'dispatch-class' },
      ['normal', 'priority', 'emergency'].map((c) => h('option', { value: c }, t('class.' + c))));
    const note = h('input', { name: 'note', id: 'dispatch-note', maxLength: 500 });
    const repeat = h('input', { type: 'number', name: 'repeat', id: 'dispatch-repeat', min: 1, max: 5, value: 1 });
    const repeatField = field(t('dispatch.repeat'), repeat);
    const hint = h('p', { class: 'hint', id: 'dispatch-class-hint' });
    const syncClass = () => { repeatField.hidden = klass.value !== 'emergency'; hint.textContent = t('dispatch.hint.' + klass.value); };
    klass.addEventListener('change', syncClass);
    syncClass();
    const send = h('button', { type: 'submit', class: 'primary', id: 'dispatch-send' }, t('dispatch.send'));
    const form = h('form', { class: 'card', id: 'dispatch-form' }, h('h2', {}, t('dispatch.new')),
      h('div', { class: 'row' }, field(t('schedules.bulletin'), bulletin), field(t('common.area'), area), field(t('inbox.class'), klass), repeatField),
      h('div', { class: 'row' }, field(t('inbox.note'), note), h('div', { class: 'buttons' }, send)), hint);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (klass.value === 'emergency' && !window.confirm(t('dispatch.confirmEmergency'))) return;
      busy(send, async () => {
        try {
          const body = { bulletin: bulletin.value, areas: area.value ? [area.value] : [], class: klass.value };
          if (note.value) body.note = note.value;
          if (klass.value === 'emergency') body.repeat = Number(repeat.value);
          const made = await api.post('/dispatches', body);
          show(message, okBox(t('dispatch.sent', { communes: made.targets.length })));
          await load();
          await open(made.id);
        } catch (error) { show(message, errorBox(error)); }
      });
    });

    async function load() {
      const items = await api.all('/dispatches');
      show(listSlot, table([
        { label: t('inbox.sentAt'), cell: (d) => dateTime(d.createdAt) },
        { label: t('inbox.class'), cell: (d) => classBadge(d.class) },
        { label: t('schedules.bulletin'), cell: (d) => d.title || d.bulletin.slice(0, 12) },
        { label: t('inbox.sender'), cell: (d) => d.sender },
        { label: t('dispatch.communes'), class: 'num', cell: (d) => String(d.targets.length) },
        { label: t('dispatch.states'), cell: (d) => summary(d.targets) },
        { label: '', cell: (d) => h('button', { type: 'button', class: 'dispatch-open', 'data-id': d.id, onclick: () => open(d.id) }, t('dispatch.follow')) },
      ], items, t('dispatch.none'), (d) => ({ 'data-id': d.id })));
    }

    function summary(list) {
      const counts = new Map();
      for (const target of list) counts.set(target.state, (counts.get(target.state) || 0) + 1);
      return [...counts].map(([state, n]) => `${t('target.' + state)}: ${n}`).join(', ');
    }

    async function open(id) {
      shown = id;
      let d;
      try { d = await api.get('/dispatches/' + id); } catch (error) { show(message, errorBox(error)); return; }
      const rows = d.targets.map((target) => ({ ...target }));
      show(detail, h('div', { class: 'card', id: 'dispatch-view' },
        h('h2', {}, classBadge(d.class), ' ', d.title || d.bulletin.slice(0, 12)),
        h('p', {}, t('inbox.from', { sender: d.sender, level: t('level.' + d.senderLevel), at: dateTime(d.createdAt) })),
        table([
          { label: t('common.area'), cell: (x) => names.area(x.areaId) },
          { label: t('inbox.state'), cell: (x) => h('span', { class: 'badge state-' + x.state }, t('target.' + x.state)) },
          { label: t('inbox.program'), cell: (x) => (x.program ? t('dispatch.placement', { program: x.program, date: x.date, position: x.position }) : '–') },
          { label: t('inbox.reason'), cell: (x) => x.reason || '–' },
          { label: t('dispatch.played'), cell: (x) => (x.plays.length
            ? h('ul', { class: 'plays' }, x.plays.map((p) => h('li', {}, `${names.gateway(p.gatewayId)}: ${t('kind.play.' + p.kind)} ${dateTime(p.at)}`)))
            : '–') },
        ], rows, t('dispatch.noTargets'), (x) => ({ 'data-area': x.areaId }))));
    }

    put(root, h('div', { class: 'page-head' }, h('h1', {}, t('dispatch.title'))),
      await linkCard(names), ctx.can('announce') ? form : null, message, listSlot, detail);
    await load();
    if (ctx.params.id) await open(ctx.params.id);
    const timer = setInterval(() => { load().catch(() => {}); if (shown) open(shown).catch(() => {}); }, REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};
