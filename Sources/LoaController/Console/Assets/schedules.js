// Schedules: add (bulletin, where, once / daily / weekly days, time, date range, priority), the
// list with delete, and what will play in the next 7 days (the API's preview).
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, dayHeading, timeOnly, duration, localDate, field, busy } from './dom.js';
import { loadCatalog, targetPicker } from './targets.js';

const PREVIEW_DAYS = 7;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]; // ISO: 1 = Monday … 7 = Sunday

/** "Hằng tuần T2, T4 lúc 06:30" / "Weekly Mon, Wed at 06:30". */
function when(entry) {
  const at = (entry.at || '').slice(0, 8).replace(/:00$/, '');
  if (entry.recurrence === 'weekly') {
    const days = (entry.days || []).map((d) => t('weekday.' + d)).join(', ');
    return t('schedules.whenWeekly', { days, at });
  }
  return t(entry.recurrence === 'daily' ? 'schedules.whenDaily' : 'schedules.whenOnce', { at });
}

function dates(entry) {
  if (entry.recurrence === 'once') return entry.from;
  return entry.until ? `${entry.from} → ${entry.until}` : t('schedules.fromOnwards', { from: entry.from });
}

function form(targets, bulletins, preselected, done, band) {
  const bulletin = h('select', { name: 'bulletin', id: 'schedule-bulletin', required: true },
    h('option', { value: '' }, t('common.choose')),
    bulletins.map((b) => h('option', { value: b.sha256, selected: b.sha256 === preselected },
      `${b.title} (${duration(b.durationMs)})${b.state === 'approved' ? '' : ' — ' + t('state.' + b.state)}`)));
  const picker = targetPicker(targets, 'schedule');
  const recurrence = h('div', { class: 'radios', id: 'schedule-recurrence' },
    ['once', 'daily', 'weekly'].map((r) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'recurrence', value: r, checked: r === 'daily' }), ' ', t('recurrence.' + r))));
  const days = h('div', { class: 'days', id: 'schedule-days', hidden: true },
    WEEKDAYS.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'days', value: d }), ' ', t('weekday.' + d))));
  recurrence.addEventListener('change', () => {
    days.hidden = recurrence.querySelector('input:checked').value !== 'weekly';
    until.disabled = recurrence.querySelector('input:checked').value === 'once';
  });
  const at = h('input', { type: 'time', name: 'at', id: 'schedule-at', step: 1, required: true });
  const from = h('input', { type: 'date', name: 'from', id: 'schedule-from', value: localDate(), required: true });
  const until = h('input', { type: 'date', name: 'until', id: 'schedule-until' });
  const priority = h('input', { type: 'number', name: 'priority', id: 'schedule-priority', min: 0, max: 255, value: band('scheduled').default });
  const repeat = h('input', { type: 'number', name: 'repeat', min: 1, max: 10, value: 1 });
  const onBusy = h('select', { name: 'onBusy' }, ['queue', 'preempt', 'drop'].map((v) => h('option', { value: v }, t('onBusy.' + v))));
  const onInterrupt = h('select', { name: 'onInterrupt' }, ['resume', 'restart', 'drop'].map((v) => h('option', { value: v }, t('onInterrupt.' + v))));
  const slot = h('div', { id: 'schedule-message' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'schedule-submit' }, t('schedules.add'));

  const element = h('form', { class: 'card', id: 'schedule-form', noValidate: true },
    h('h2', {}, t('schedules.addTitle')),
    field(t('schedules.bulletin'), bulletin, bulletins.length ? null : t('schedules.noBulletins')),
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('schedules.where')), picker.element),
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('schedules.repeatKind')), recurrence, days),
    h('div', { class: 'row' }, field(t('schedules.at'), at), field(t('schedules.from'), from),
      field(t('schedules.until'), until, t('schedules.untilHint'))),
    h('div', { class: 'row' }, field(t('schedules.priority'), priority, t('schedules.priorityHint', Object.fromEntries(['background', 'scheduled', 'announcement', 'live', 'emergency'].map((n) => [n, band(n).default])))),
      field(t('schedules.repeat'), repeat)),
    h('details', {}, h('summary', {}, t('schedules.advanced')),
      h('div', { class: 'row' }, field(t('schedules.onBusy'), onBusy), field(t('schedules.onInterrupt'), onInterrupt))),
    slot, submit);

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const where = picker.value();
    const kind = recurrence.querySelector('input:checked').value;
    const chosenDays = [...days.querySelectorAll('input:checked')].map((i) => Number(i.value));
    // Plain checks first so a broadcaster gets a sentence rather than a round trip; the API
    // checks everything again (impossible times, ranges) and its message is shown as it is.
    const local = !bulletin.value ? 'schedules.needBulletin'
      : where.areas.length + where.gateways.length === 0 ? 'schedules.needTarget'
        : kind === 'weekly' && chosenDays.length === 0 ? 'schedules.needDays'
          : !at.value ? 'schedules.needTime' : null;
    if (local) return show(slot, errorBox({ code: 'validation_failed', message: t(local) }));
    const body = {
      bulletin: bulletin.value, areas: where.areas, gateways: where.gateways, recurrence: kind,
      days: kind === 'weekly' ? chosenDays : [], at: at.value.length === 5 ? at.value + ':00' : at.value,
      from: from.value, until: kind === 'once' ? null : (until.value || null),
      priority: Number(priority.value), repeat: Number(repeat.value), onBusy: onBusy.value, onInterrupt: onInterrupt.value,
    };
    busy(submit, async () => {
      try {
        await api.post('/schedules', body);
        show(slot, okBox(t('schedules.added')));
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return element;
}

/** The next 7 days, grouped by local day. */
async function preview(slot, names) {
  const now = new Date();
  const answer = await api.get('/schedules/preview', {
    from: now.toISOString(), to: new Date(now.getTime() + PREVIEW_DAYS * 86_400_000).toISOString(),
  });
  const items = answer.items || [];
  if (items.length === 0) return show(slot, h('p', { class: 'empty' }, t('schedules.previewNone')));
  const byDay = new Map();
  for (const item of items) {
    const day = localDate(new Date(item.startAt));
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(item);
  }
  slot.replaceChildren(...[...byDay.values()].map((dayItems) => h('section', { class: 'day' },
    h('h3', {}, dayHeading(dayItems[0].startAt)),
    table([
      { label: t('schedules.at'), cell: (i) => timeOnly(i.startAt) },
      { label: t('schedules.bulletin'), cell: (i) => i.title || i.bulletin },
      { label: t('gateways.name'), cell: (i) => names.gateway(i.gatewayId) },
      { label: t('bulletins.duration'), class: 'num', cell: (i) => duration(i.durationMs) },
      { label: t('schedules.priority'), class: 'num', cell: (i) => String(i.priority) },
    ], dayItems, ''))));
}

export default {
  async render(root, ctx) {
    const { targets, bulletins, names, titles } = await loadCatalog();
    const message = h('div', {});
    const listSlot = h('div', { id: 'schedule-list' });
    const previewSlot = h('div', { id: 'schedule-preview' });

    const remove = (entry, button) => {
      if (!confirm(t('schedules.confirmDelete', { title: titles.get(entry.bulletin) || entry.bulletin }))) return;
      busy(button, async () => {
        try {
          await api.del(`/schedules/${encodeURIComponent(entry.id)}`);
          show(message, okBox(t('schedules.deleted')));
          await refresh();
        } catch (error) { show(message, errorBox(error)); }
      });
    };

    const columns = [
      { label: t('schedules.bulletin'), cell: (e) => h('strong', {}, titles.get(e.bulletin) || e.bulletin.slice(0, 12)) },
      { label: t('schedules.where'), class: 'wrap', cell: (e) => names.targets(e.areas, e.gateways) },
      { label: t('schedules.when'), cell: when },
      { label: t('schedules.dates'), cell: dates },
      { label: t('schedules.priority'), class: 'num', cell: (e) => String(e.priority) },
      { label: t('schedules.repeat'), class: 'num', cell: (e) => String(e.repeat ?? 1) },
      { label: t('schedules.createdBy'), cell: (e) => h('span', {}, e.createdBy || '–', h('br'), h('small', {}, dateTime(e.createdAt))) },
      { label: '', cell: (e) => ctx.can('schedule.edit')
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'delete', onclick: (ev) => remove(e, ev.currentTarget) }, t('common.delete')) : '' },
    ];

    async function refresh() {
      const entries = await api.all('/schedules');
      show(listSlot, table(columns, entries, t('schedules.none'), (e) => ({ dataset: { id: e.id } })));
      try { await preview(previewSlot, names); } catch (error) { show(previewSlot, errorBox(error)); }
    }

    const usable = bulletins.filter((b) => b.state !== 'archived');
    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('schedules.title'))),
      ctx.can('schedule.edit') ? form(targets, usable, ctx.params.bulletin, refresh, ctx.band) : null,
      message,
      h('h2', {}, t('schedules.listTitle')), listSlot,
      h('h2', {}, t('schedules.previewTitle', { days: PREVIEW_DAYS })), previewSlot);
    await refresh();
  },
};
