// Schedules: add (bulletin, where, once / daily / weekly days, time, date range, priority), the
// list with delete, and what will play in the next 7 days (the API's preview); then scheduled
// relays ("tiếp sóng" of an upstream at fixed hours, /api/v1/relay-schedules): add, list, delete.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, dayHeading, timeOnly, duration, localDate, field, busy } from './dom.js';
import { loadCatalog, targetPicker, areaSelect, scopeOf } from './targets.js';
import { when, dates, withSeconds, recurrencePicker } from './recurrence.js';

const PREVIEW_DAYS = 7;

/**
 * The schedule form. `preset` fills it: {bulletin, areas, gateways, recurrence, days, at, from,
 * until, priority, repeat, onBusy, onInterrupt} (the week calendar's slot or the entry edited);
 * `done(saved)` runs after a save, `title` heads the card.
 */
export function scheduleForm(targets, bulletins, preset, done, band, title = t('schedules.addTitle')) {
  const bulletin = h('select', { name: 'bulletin', id: 'schedule-bulletin', required: true },
    h('option', { value: '' }, t('common.choose')),
    bulletins.map((b) => h('option', { value: b.sha256, selected: b.sha256 === preset.bulletin },
      `${b.title} (${duration(b.durationMs)})${b.state === 'approved' ? '' : ' — ' + t('state.' + b.state)}`)));
  const picker = targetPicker(targets, 'schedule', { areas: preset.areas || [], gateways: preset.gateways || [] });
  const at = h('input', { type: 'time', name: 'at', id: 'schedule-at', step: 1, required: true, value: preset.at || '' });
  const from = h('input', { type: 'date', name: 'from', id: 'schedule-from', value: preset.from || localDate(), required: true });
  const until = h('input', { type: 'date', name: 'until', id: 'schedule-until', value: preset.until || '' });
  const recurrence = recurrencePicker('schedule', until);
  if (preset.recurrence) recurrence.set(preset.recurrence, preset.days || []);
  const priority = h('input', { type: 'number', name: 'priority', id: 'schedule-priority', min: 0, max: 255, value: preset.priority ?? band('scheduled').default });
  const repeat = h('input', { type: 'number', name: 'repeat', min: 1, max: 10, value: preset.repeat ?? 1 });
  const onBusy = h('select', { name: 'onBusy' }, ['queue', 'preempt', 'drop'].map((v) => h('option', { value: v, selected: v === preset.onBusy }, t('onBusy.' + v))));
  const onInterrupt = h('select', { name: 'onInterrupt' }, ['resume', 'restart', 'drop'].map((v) => h('option', { value: v, selected: v === preset.onInterrupt }, t('onInterrupt.' + v))));
  const slot = h('div', { id: 'schedule-message' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'schedule-submit' }, t('schedules.add'));

  const element = h('form', { class: 'card', id: 'schedule-form', noValidate: true },
    h('h2', {}, title),
    field(t('schedules.bulletin'), bulletin, bulletins.length ? null : t('schedules.noBulletins')),
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('schedules.where')), picker.element),
    recurrence.element,
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
    const kind = recurrence.kind();
    const chosenDays = recurrence.days();
    // Plain checks first so a broadcaster gets a sentence rather than a round trip; the API
    // checks everything again (impossible times, ranges) and its message is shown as it is.
    const local = !bulletin.value ? 'schedules.needBulletin'
      : where.areas.length + where.gateways.length === 0 ? 'schedules.needTarget'
        : kind === 'weekly' && chosenDays.length === 0 ? 'schedules.needDays'
          : !at.value ? 'schedules.needTime' : null;
    if (local) return show(slot, errorBox({ code: 'validation_failed', message: t(local) }));
    const body = {
      bulletin: bulletin.value, areas: where.areas, gateways: where.gateways, recurrence: kind,
      days: kind === 'weekly' ? chosenDays : [], at: withSeconds(at.value),
      from: from.value, until: kind === 'once' ? null : (until.value || null),
      priority: Number(priority.value), repeat: Number(repeat.value), onBusy: onBusy.value, onInterrupt: onInterrupt.value,
    };
    busy(submit, async () => {
      try {
        const saved = await api.post('/schedules', body);
        show(slot, okBox(t('schedules.added')));
        await done(saved);
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

/** "30 phút" for whole minutes, else "1:30" (the API allows any 10 s … 6 h). */
function relayLength(seconds) {
  return seconds % 60 === 0 ? t('relays.minutes', { n: seconds / 60 }) : duration(seconds * 1000);
}

/** The scheduled relay form: area, title, upstream, recurrence, time, dates, length, fallback, priority. */
function relayForm(areas, approved, done, band) {
  const area = areaSelect(areas, t('common.choose'));
  area.id = 'relay-area';
  area.name = 'areaId';
  const title = h('input', { name: 'title', id: 'relay-title', maxLength: 200, placeholder: t('relays.titlePlaceholder') });
  const url = h('input', { type: 'url', name: 'relayUrl', id: 'relay-url', maxLength: 2000, inputMode: 'url', autocomplete: 'off',
    placeholder: 'https://radio.example.vn/vov1.mp3' });
  const at = h('input', { type: 'time', name: 'at', id: 'relay-at', step: 1 });
  const from = h('input', { type: 'date', name: 'from', id: 'relay-from', value: localDate() });
  const until = h('input', { type: 'date', name: 'until', id: 'relay-until' });
  const recurrence = recurrencePicker('relay', until);
  const minutes = h('input', { type: 'number', name: 'duration', id: 'relay-duration', min: 1, max: 360, step: 1, value: 30 });
  const fallback = h('select', { name: 'fallbackBulletin', id: 'relay-fallback' },
    h('option', { value: '' }, t('relays.noFallback')),
    approved.map((b) => h('option', { value: b.sha256 }, `${b.title} (${duration(b.durationMs)})`)));
  const background = band('background');
  const priority = h('input', { type: 'number', name: 'priority', id: 'relay-priority', min: 0, max: band('live').max, value: background.default });
  const slot = h('div', { id: 'relay-message' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'relay-submit' }, t('relays.add'));

  const element = h('form', { class: 'card', id: 'relay-form', noValidate: true },
    h('h2', {}, t('relays.addTitle')),
    h('p', { class: 'hint' }, t('relays.hint')),
    h('div', { class: 'row' }, field(t('common.area'), area), field(t('relays.name'), title)),
    field(t('live.relayUrl'), url, t('live.relayUrlHint')),
    recurrence.element,
    h('div', { class: 'row' }, field(t('relays.at'), at), field(t('relays.duration'), minutes),
      field(t('schedules.from'), from), field(t('schedules.until'), until, t('schedules.untilHint'))),
    h('div', { class: 'row' }, field(t('relays.fallback'), fallback, t('relays.fallbackHint')),
      field(t('schedules.priority'), priority, t('relays.priorityHint', { background: background.default, max: band('live').max }))),
    slot, submit);

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = recurrence.kind();
    const days = recurrence.days();
    const length = Number(minutes.value);
    // Plain checks first; the API checks everything again and its sentence is shown as it is.
    const local = !area.value ? 'live.needArea'
      : !title.value.trim() ? 'relays.needTitle'
        : !/^https?:\/\/\S+$/i.test(url.value.trim()) ? 'live.needRelayUrl'
          : kind === 'weekly' && days.length === 0 ? 'schedules.needDays'
            : !at.value ? 'schedules.needTime'
              : !(length >= 1 && length <= 360) ? 'relays.needDuration' : null;
    if (local) return show(slot, errorBox({ code: 'validation_failed', message: t(local) }));
    const body = {
      areaId: area.value, title: title.value.trim(), relayUrl: url.value.trim(), recurrence: kind,
      days: kind === 'weekly' ? days : [], at: withSeconds(at.value), from: from.value,
      until: kind === 'once' ? null : (until.value || null), durationSeconds: Math.round(length * 60),
      priority: Number(priority.value), fallbackBulletin: fallback.value || undefined,
    };
    busy(submit, async () => {
      try {
        await api.post('/relay-schedules', body);
        show(slot, okBox(t('relays.added')));
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return element;
}

/** Scheduled relays: the form (for those who may go live), the list with the next window, delete. */
function relaySection(ctx, { targets, bulletins, names, titles }) {
  const scope = scopeOf(ctx.me, targets);
  const message = h('div', { id: 'relay-list-message' });
  const listSlot = h('div', { id: 'relay-list' });

  const remove = (rule, button) => {
    if (!confirm(t('relays.confirmDelete', { title: rule.title }))) return;
    busy(button, async () => {
      try {
        await api.del(`/relay-schedules/${encodeURIComponent(rule.id)}`);
        show(message, okBox(t('relays.deleted')));
        await refresh();
      } catch (error) { show(message, errorBox(error)); }
    });
  };

  const columns = [
    { label: t('relays.name'), cell: (r) => h('strong', {}, r.title) },
    { label: t('common.area'), cell: (r) => names.area(r.areaId) },
    { label: t('schedules.when'), cell: when },
    { label: t('schedules.dates'), cell: dates },
    { label: t('relays.length'), class: 'num', cell: (r) => relayLength(r.durationSeconds) },
    { label: t('relays.next'), cell: (r) => (r.nextWindow ? dateTime(r.nextWindow) : t('relays.noNext')) },
    { label: t('relays.fallback'), cell: (r) => (r.fallbackBulletin ? titles.get(r.fallbackBulletin) || r.fallbackBulletin.slice(0, 12) : '–') },
    { label: t('relays.upstream'), class: 'wrap', cell: (r) => h('code', {}, r.relayUrl) },
    { label: t('schedules.priority'), class: 'num', cell: (r) => String(r.priority) },
    { label: t('schedules.createdBy'), cell: (r) => r.createdBy || '–' },
    { label: '', cell: (r) => ctx.can('announce') && scope.covers(r.areaId)
      ? h('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `${t('common.delete')}: ${r.title}`, onclick: (ev) => remove(r, ev.currentTarget) }, t('common.delete')) : '' },
  ];

  async function refresh() {
    const rules = await api.all('/relay-schedules');
    show(listSlot, table(columns, rules, t('relays.none'), (r) => ({ dataset: { id: String(r.id) } })));
  }

  const approved = bulletins.filter((b) => b.state === 'approved');
  const element = h('section', { id: 'relay-schedules' },
    h('h2', {}, t('relays.title')),
    ctx.can('announce') ? relayForm(targets.areas, approved, refresh, ctx.band) : null,
    message, listSlot);
  // A list that cannot be read says so in its place; the rest of the page stands.
  return { element, load: () => refresh().catch((error) => show(listSlot, errorBox(error))) };
}

export default {
  async render(root, ctx) {
    const catalog = await loadCatalog();
    const { targets, bulletins, names, titles } = catalog;
    // Entries of the areas above (they play here too) are shown, but only their own level changes them.
    const scope = scopeOf(ctx.me, targets);
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
      { label: '', cell: (e) => ctx.can('schedule.edit') && scope.coversTargets(e.areas, e.gateways)
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `${t('common.delete')}: ${titles.get(e.bulletin) || e.bulletin.slice(0, 12)}, ${names.targets(e.areas, e.gateways)}, ${when(e)}`, onclick: (ev) => remove(e, ev.currentTarget) }, t('common.delete')) : '' },
    ];

    async function refresh() {
      const entries = await api.all('/schedules');
      show(listSlot, table(columns, entries, t('schedules.none'), (e) => ({ dataset: { id: e.id } })));
      try { await preview(previewSlot, names); } catch (error) { show(previewSlot, errorBox(error)); }
    }

    // Drafts only where the API takes a draft's schedule from this user (a broadcaster waits for the approval).
    const usable = bulletins.filter((b) => b.state === 'approved' || (b.state === 'draft' && ctx.me.schedulesDrafts !== false));
    const relays = relaySection(ctx, catalog);
    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('schedules.title'))),
      ctx.can('schedule.edit') ? scheduleForm(targets, usable, { bulletin: ctx.params.bulletin }, refresh, ctx.band) : null,
      message,
      h('h2', {}, t('schedules.listTitle')), listSlot,
      relays.element,
      h('h2', {}, t('schedules.previewTitle', { days: PREVIEW_DAYS })), previewSlot);
    await Promise.all([refresh(), relays.load()]);
  },
};
