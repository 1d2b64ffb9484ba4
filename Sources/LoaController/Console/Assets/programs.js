// Programs (chương trình phát thanh): an area's block of items — jingles, bulletins, pauses, relays —
// at set hours. The builder makes a new one (POST) or replaces one whole (PUT) and shows its next
// starts; the list shows each with its length against the planned length, to edit or delete.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, duration, localDate, field, busy } from './dom.js';
import { loadTargets, namer, areaSelect, scopeOf } from './targets.js';
import { when, dates, withSeconds, recurrencePicker } from './recurrence.js';
import { itemEditor } from './program-items.js';

const PLANNED_SECONDS = { min: 10, max: 21_600 }; // the API's limits: 10 s to 6 hours

/** "12:30 / 15:00", the part past the planned length marked. */
function lengthCell(p) {
  const length = duration(p.lengthMs);
  if (p.plannedSeconds === null || p.plannedSeconds === undefined) return length;
  const planned = p.plannedSeconds * 1000;
  return h('span', { class: p.lengthMs > planned ? 'warn' : null }, `${length} / ${duration(planned)}`);
}

function nextStarts(program) {
  const starts = program.nextOccurrences || [];
  return h('div', { class: 'next-starts' }, h('h3', {}, t('programs.nextTitle')),
    starts.length ? h('ul', {}, starts.map((iso) => h('li', {}, dateTime(iso)))) : h('p', { class: 'empty' }, t('programs.noNext')));
}

/**
 * The builder: name, area, when, planned length and overrun rule, priority, the items. `edit(p)`
 * loads a stored program (the save is then a PUT of the whole program), `reset()` starts anew;
 * `done()` runs after a save (the list refreshes). On a refusal nothing in the form changes.
 */
function builder(areas, approved, band, done) {
  let editing = null;
  const heading = h('h2', { id: 'program-form-title' });
  const name = h('input', { name: 'name', id: 'program-name', maxLength: 200, placeholder: t('programs.namePlaceholder') });
  const area = areaSelect(areas, t('common.choose'));
  area.id = 'program-area';
  area.name = 'areaId';
  const at = h('input', { type: 'time', name: 'at', id: 'program-at', step: 1 });
  const from = h('input', { type: 'date', name: 'from', id: 'program-from', value: localDate() });
  const until = h('input', { type: 'date', name: 'until', id: 'program-until' });
  const recurrence = recurrencePicker('program', until);
  const fromLabel = h('span', { class: 'label' }, t('schedules.from'));
  const planned = h('input', { type: 'number', name: 'planned', id: 'program-planned', min: 1, max: 360, step: 'any' });
  const overrun = h('select', { name: 'overrun', id: 'program-overrun' },
    ['finish-item', 'play-on'].map((v) => h('option', { value: v }, t('overrun.' + v))));
  const scheduled = band('scheduled');
  const priorityMax = band('live').max;
  const priority = h('input', { type: 'number', name: 'priority', id: 'program-priority', min: 0, max: priorityMax, value: scheduled.default });
  const plannedMs = () => (planned.value === '' ? null : Math.round(Number(planned.value) * 60) * 1000);
  const editor = itemEditor(approved, () => ({ plannedMs: plannedMs(), overrun: overrun.value }));
  const slot = h('div', { id: 'program-message' });
  const next = h('div', { id: 'program-next' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'program-submit' }, t('programs.save'));
  const fresh = h('button', { type: 'button', id: 'program-new', onclick: () => { reset(); name.focus(); } }, t('programs.new'));

  // A one-off program plays on its "from" day: the field says so.
  const relabel = () => { fromLabel.textContent = t(recurrence.kind() === 'once' ? 'programs.onDay' : 'schedules.from'); };
  recurrence.radios.addEventListener('change', relabel);
  planned.addEventListener('input', editor.redraw);
  overrun.addEventListener('change', editor.redraw);

  const element = h('form', { class: 'card', id: 'program-form', noValidate: true },
    heading,
    h('div', { class: 'row' }, field(t('programs.name'), name), field(t('common.area'), area)),
    recurrence.element,
    h('div', { class: 'row' }, field(t('programs.at'), at), h('label', { class: 'field' }, fromLabel, from),
      field(t('schedules.until'), until, t('schedules.untilHint'))),
    h('div', { class: 'row' }, field(t('programs.planned'), planned, t('programs.plannedHint')),
      field(t('programs.overrun'), overrun),
      field(t('schedules.priority'), priority, t('programs.priorityHint', { max: priorityMax, scheduled: scheduled.default }))),
    h('h3', {}, t('programs.items')),
    h('p', { class: 'hint' }, t('programs.help')),
    editor.element,
    slot,
    h('div', { class: 'buttons' }, submit, fresh),
    next);

  function showing(program) {
    editing = program;
    element.dataset.id = program ? String(program.id) : '';
    heading.textContent = program ? t('programs.editTitle', { name: program.name }) : t('programs.new');
    fresh.hidden = !program;
  }

  function reset() {
    showing(null);
    name.value = '';
    area.value = '';
    recurrence.set('daily');
    at.value = '';
    from.value = localDate();
    until.value = '';
    planned.value = '';
    overrun.value = 'finish-item';
    priority.value = scheduled.default;
    editor.set([]);
    relabel();
    show(slot, null);
    show(next, null);
  }

  function edit(program) {
    showing(program);
    name.value = program.name;
    area.value = program.areaId;
    recurrence.set(program.recurrence, program.days || []);
    at.value = program.at;
    from.value = program.from;
    until.value = program.until || '';
    planned.value = program.plannedSeconds ? String(program.plannedSeconds / 60) : '';
    overrun.value = program.overrun;
    priority.value = program.priority;
    const titles = new Map(program.items.filter((i) => i.bulletin).map((i) => [i.bulletin, i.title || i.bulletin.slice(0, 12)]));
    editor.set(program.items.map((i) => (i.type === 'pause' ? { type: 'pause', seconds: i.seconds }
      : i.type === 'relay' ? { type: 'relay', url: i.url, title: i.title, seconds: i.seconds, fallbackBulletin: i.fallbackBulletin }
        : { type: i.type, bulletin: i.bulletin })), titles);
    relabel();
    show(slot, null);
    show(next, nextStarts(program));
    element.scrollIntoView({ block: 'start' });
    name.focus();
  }

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = recurrence.kind();
    const days = recurrence.days();
    const items = editor.items();
    const seconds = plannedMs() === null ? null : plannedMs() / 1000;
    // Plain checks first; the API checks everything again and its sentence is shown as it is.
    const local = !name.value.trim() ? 'programs.needName'
      : !area.value ? 'live.needArea'
        : kind === 'weekly' && days.length === 0 ? 'schedules.needDays'
          : !at.value ? 'schedules.needTime'
            : seconds !== null && !(seconds >= PLANNED_SECONDS.min && seconds <= PLANNED_SECONDS.max) ? 'programs.needPlanned'
              : !items.some((i) => i.type !== 'pause') ? 'programs.needItems' : null;
    if (local) return show(slot, errorBox({ code: 'validation_failed', message: t(local) }));
    const body = {
      areaId: area.value, name: name.value.trim(), recurrence: kind, days: kind === 'weekly' ? days : [],
      at: withSeconds(at.value), from: from.value, until: kind === 'once' ? null : (until.value || null),
      plannedSeconds: seconds, overrun: overrun.value, priority: Number(priority.value), items,
    };
    // A PUT replaces the whole program: what the form does not show is sent back as it was.
    if (editing) Object.assign(body, { onBusy: editing.onBusy, onInterrupt: editing.onInterrupt });
    busy(submit, async () => {
      try {
        const saved = editing
          ? await api.put(`/programs/${encodeURIComponent(editing.id)}`, body)
          : await api.post('/programs', body);
        showing(saved);
        show(slot, okBox(t('programs.saved', { name: saved.name })));
        show(next, nextStarts(saved));
        await done(saved);
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  reset();
  return { element, edit, reset, editing: () => editing };
}

export default {
  async render(root, ctx) {
    const [targets, approved] = await Promise.all([loadTargets(), api.all('/bulletins', { state: 'approved' })]);
    const names = namer(targets);
    // A program of an area above the user's is shown (it plays here) but changed only at its level.
    const scope = scopeOf(ctx.me, targets);
    let areaFilter = ctx.params.area || '';
    const message = h('div', { id: 'program-list-message' });
    const listSlot = h('div', { id: 'program-list' });
    const form = ctx.can('schedule.edit') ? builder(targets.areas, approved, ctx.band, () => refresh()) : null;

    const remove = (program, button) => {
      if (!confirm(t('programs.confirmDelete', { name: program.name }))) return;
      busy(button, async () => {
        try {
          await api.del(`/programs/${encodeURIComponent(program.id)}`);
          if (form && form.editing() && form.editing().id === program.id) form.reset();
          show(message, okBox(t('programs.deleted')));
          await refresh();
        } catch (error) { show(message, errorBox(error)); }
      });
    };

    const columns = [
      { label: t('programs.name'), cell: (p) => h('strong', {}, p.name) },
      { label: t('common.area'), cell: (p) => names.area(p.areaId) },
      { label: t('schedules.when'), cell: when },
      { label: t('schedules.dates'), cell: dates },
      { label: t('programs.itemCount'), class: 'num', cell: (p) => String(p.items.length) },
      { label: t('programs.length'), class: 'num', cell: lengthCell },
      { label: t('programs.next'), cell: (p) => (p.nextOccurrences.length ? dateTime(p.nextOccurrences[0]) : t('programs.noNext')) },
      { label: t('schedules.priority'), class: 'num', cell: (p) => String(p.priority) },
      { label: t('schedules.createdBy'), cell: (p) => p.createdBy || '–' },
      { label: '', cell: (p) => form && scope.covers(p.areaId) ? h('span', { class: 'actions' },
        h('button', { type: 'button', 'data-action': 'edit', 'aria-label': `${t('programs.edit')}: ${p.name}`, onclick: () => form.edit(p) }, t('programs.edit')),
        h('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `${t('common.delete')}: ${p.name}`, onclick: (e) => remove(p, e.currentTarget) }, t('common.delete'))) : '' },
    ];

    async function refresh() {
      const programs = await api.all('/programs', { area: areaFilter });
      show(listSlot, table(columns, programs, t('programs.none'), (p) => ({ dataset: { id: String(p.id) } })));
    }

    const filter = areaSelect(targets.areas, t('common.allAreas'), areaFilter);
    filter.id = 'program-area-filter';
    filter.addEventListener('change', async () => {
      areaFilter = filter.value;
      try { await refresh(); } catch (error) { show(message, errorBox(error)); }
    });

    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('programs.title'))),
      form ? form.element : null,
      h('div', { class: 'page-head' }, h('h2', {}, t('programs.listTitle')),
        h('div', { class: 'tools' }, field(t('common.area'), filter))),
      message, listSlot);
    await refresh();
  },
};
