// The commune's inbox (hộp thư): bulletins sent down by the levels above, newest first, with
// their class (TT 39/2020: normal, priority, emergency), sender, level and note. A normal one
// waits for the commune's choice: place it into an occurrence of one of its programs at a
// position, or decline it with a reason the sender sees. Opening an item marks it seen.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, field, busy } from './dom.js';
import { loadTargets, namer } from './targets.js';

const REFRESH_MS = 30_000;

export function classBadge(value) {
  return h('span', { class: 'badge class-' + value }, t('class.' + value));
}

export default {
  async render(root, ctx) {
    const targets = await loadTargets();
    const names = namer(targets);
    const message = h('div', { id: 'inbox-message' });
    const listSlot = h('div', { id: 'inbox-list' });
    const detail = h('div', { id: 'inbox-detail' });
    let items = [];

    async function load() {
      items = await api.all('/inbox');
      show(listSlot, table([
        { label: t('inbox.sentAt'), cell: (i) => dateTime(i.sentAt) },
        { label: t('inbox.class'), cell: (i) => classBadge(i.class) },
        { label: t('schedules.bulletin'), cell: (i) => i.title || i.bulletin.slice(0, 12) },
        { label: t('common.area'), cell: (i) => names.area(i.areaId) },
        { label: t('inbox.sender'), cell: (i) => `${i.sender} (${t('level.' + i.senderLevel)})` },
        { label: t('inbox.note'), cell: (i) => i.note || '–' },
        { label: t('inbox.state'), cell: (i) => h('span', { class: 'badge state-' + i.state }, t('target.' + i.state)) },
        { label: '', cell: (i) => h('button', { type: 'button', class: 'inbox-open', 'data-id': i.id, 'aria-label': `${t('inbox.open')}: ${i.title || i.bulletin.slice(0, 12)}, ${names.area(i.areaId)}, ${dateTime(i.sentAt)}`, onclick: () => open(i.id) }, t('inbox.open')) },
      ], items, t('inbox.none'), (i) => ({ 'data-id': i.id })));
    }

    async function open(id) {
      let item;
      try { item = await api.get('/inbox/' + id); } catch (error) { show(message, errorBox(error)); return; }
      const programs = (await api.all('/programs', { area: item.areaId })).filter((p) => p.areaId === item.areaId);
      const program = h('select', { name: 'program', id: 'inbox-program' },
        programs.map((p) => h('option', { value: p.id, selected: p.id === item.program }, `${p.name} (${p.at})`)));
      const position = h('input', { type: 'number', name: 'position', id: 'inbox-position', min: 1, max: 200, value: item.position || 1 });
      const date = h('input', { type: 'date', name: 'date', id: 'inbox-date', value: item.date || '' });
      const reason = h('input', { name: 'reason', id: 'inbox-reason', maxLength: 500, placeholder: t('inbox.reasonPlaceholder') });
      const out = h('div', { id: 'inbox-detail-message' });
      const place = h('button', { type: 'button', class: 'primary', id: 'inbox-place' }, t('inbox.place'));
      const decline = h('button', { type: 'button', id: 'inbox-decline' }, t('inbox.decline'));
      place.addEventListener('click', () => busy(place, async () => {
        try {
          const body = { program: Number(program.value), position: Number(position.value) };
          if (date.value) body.date = date.value;
          const placed = await api.post(`/inbox/${id}/place`, body);
          show(out, okBox(t('inbox.placed', { date: placed.date, position: placed.position })));
          await load();
        } catch (error) { show(out, errorBox(error)); }
      }));
      decline.addEventListener('click', () => busy(decline, async () => {
        try {
          await api.post(`/inbox/${id}/decline`, { reason: reason.value });
          show(out, okBox(t('inbox.declined')));
          await load();
        } catch (error) { show(out, errorBox(error)); }
      }));
      // Placing and declining are the commune's scheduling (a technician only reads the inbox).
      const closed = item.class === 'emergency' || item.state === 'declined' || !ctx.can('schedule.edit');
      show(detail, h('div', { class: 'card', id: 'inbox-item' },
        h('h2', {}, classBadge(item.class), ' ', item.title || item.bulletin.slice(0, 12)),
        h('p', {}, t('inbox.from', { sender: item.sender, level: t('level.' + item.senderLevel), at: dateTime(item.sentAt) })),
        item.note ? h('p', { class: 'note' }, item.note) : null,
        h('p', {}, t('inbox.hint.' + item.class)),
        closed ? null : h('div', { class: 'row' },
          field(t('inbox.program'), program, programs.length ? null : t('inbox.noProgram')), field(t('inbox.position'), position),
          field(t('inbox.date'), date, t('inbox.dateHint')), h('div', { class: 'buttons' }, place)),
        closed || !['delivered', 'seen', 'waiting'].includes(item.state) ? null
          : h('div', { class: 'row' }, field(t('inbox.reason'), reason), h('div', { class: 'buttons' }, decline)),
        out));
      await load();
    }

    put(root, h('div', { class: 'page-head' }, h('h1', {}, t('inbox.title'))), h('p', { class: 'hint' }, t('inbox.intro')),
      message, listSlot, detail);
    await load();
    if (ctx.params.id) await open(ctx.params.id);
    const timer = setInterval(() => load().catch(() => {}), REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};
