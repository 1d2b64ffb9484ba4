// The week calendar of an area (the broadcaster's page): what plays on its loudspeakers each day
// of a week — schedule entries, programs' items, scheduled relays, its own and those from the
// areas above — placed by time, with priorities and clashes visible (two items at once on the
// same gateways: the higher priority plays first, the other waits or is cut, as its rule says).
// A click on an empty slot (or Enter on it, reached by Tab and the arrow keys) opens the schedule form at that day and time; a click on an entry
// shows it, with edit (saved as a new entry replacing the old) and delete for what one may change.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, errorBox, okBox, show, timeOnly, duration, localDate, busy, dayHeading } from './dom.js';
import { loadCatalog, areaSelect, scopeOf, subtree, ancestors } from './targets.js';
import { when, dates } from './recurrence.js';
import { scheduleForm } from './schedules.js';

const HOUR_PX = 44;
const SLOT_MINUTES = 30;
const DAY_MS = 86_400_000;
const LOCAL_MS = 7 * 3600 * 1000;  // Asia/Ho_Chi_Minh is UTC+7 all year

/** The local Monday 00:00 of the week holding `date`, as an instant. */
function mondayOf(date) {
  const local = new Date(date.getTime() + LOCAL_MS);
  const weekday = (local.getUTCDay() + 6) % 7;  // 0 = Monday
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - weekday * DAY_MS;
  return new Date(midnight - LOCAL_MS);
}

/** Minutes since local midnight of an instant. */
function localMinutes(date) {
  const local = new Date(date.getTime() + LOCAL_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
}

const pad = (n) => String(n).padStart(2, '0');
const hhmm = (minutes) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** What an occurrence is, from its play id: a schedule entry, a program's item, a relay window. */
function sourceOf(itemId) {
  let m = /^rule-(\d+)@/.exec(itemId);
  if (m) return { kind: 'schedule', id: Number(m[1]) };
  m = /^program-(\d+)\.(\d+)/.exec(itemId);
  if (m) return { kind: 'program', id: Number(m[1]), position: Number(m[2]) };
  return { kind: 'other' };
}

/** A relay rule's windows that open in [start, end). */
function relayWindows(relay, start, end) {
  const windows = [];
  const [hh, mm, ss] = relay.at.split(':').map(Number);
  for (let day = start.getTime(); day < end.getTime(); day += DAY_MS) {
    const date = localDate(new Date(day));
    if (date < relay.from || (relay.until && date > relay.until)) continue;
    const weekday = ((new Date(day + LOCAL_MS).getUTCDay() + 6) % 7) + 1;
    if (relay.recurrence === 'once' && date !== relay.from) continue;
    if (relay.recurrence === 'weekly' && !(relay.days || []).includes(weekday)) continue;
    windows.push({
      key: `relay-${relay.id}@${date}`, title: relay.title, start: new Date(day + ((hh * 60 + mm) * 60 + (ss || 0)) * 1000),
      durationMs: relay.durationSeconds * 1000, priority: relay.priority, gateways: null, source: { kind: 'relay', id: relay.id }, relay,
    });
  }
  return windows;
}

/**
 * Side by side where they overlap: each entry gets a lane and the number of lanes of its group;
 * entries that overlap on shared gateways (or a relay, which takes the whole area) clash.
 */
function layOut(entries) {
  const sorted = [...entries].sort((a, b) => a.start - b.start || b.priority - a.priority);
  const end = (e) => e.start.getTime() + Math.max(e.durationMs, 60_000);
  const shares = (a, b) => !a.gateways || !b.gateways || [...a.gateways].some((g) => b.gateways.has(g));
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length && sorted[j].start.getTime() < end(sorted[i]); j += 1) {
      if (!shares(sorted[i], sorted[j])) continue;
      sorted[i].clashes.push(sorted[j]);
      sorted[j].clashes.push(sorted[i]);
    }
  }
  let group = [];
  let groupEnd = 0;
  const close = () => { for (const e of group) e.lanes = Math.max(...group.map((g) => g.lane)) + 1; group = []; };
  for (const e of sorted) {
    if (e.start.getTime() >= groupEnd) { close(); groupEnd = 0; }
    const used = new Set(group.filter((g) => end(g) > e.start.getTime()).map((g) => g.lane));
    e.lane = 0;
    while (used.has(e.lane)) e.lane += 1;
    group.push(e);
    groupEnd = Math.max(groupEnd, end(e));
  }
  close();
  return sorted;
}

export default {
  async render(root, ctx) {
    const catalog = await loadCatalog();
    const { targets, bulletins, titles } = catalog;
    const areas = targets.areas;
    const communes = areas.filter((a) => a.kind === 'commune');
    let area = ctx.params.area || (ctx.me.areaId && areas.some((a) => a.id === ctx.me.areaId) ? ctx.me.areaId : (communes[0] || areas[0] || {}).id || '');
    let week = mondayOf(ctx.params.week ? new Date(ctx.params.week + 'T00:00:00+07:00') : new Date());
    const canEdit = ctx.can('schedule.edit');
    // What the user may change: entries whose areas and gateways all lie at or below their own
    // area (they see the areas above too; the API refuses changes there with 403).
    const scope = scopeOf(ctx.me, targets);
    const mayChange = (rule) => canEdit && scope.coversTargets(rule.areas, rule.gateways);

    const picker = areaSelect(areas, t('common.choose'), area);
    picker.id = 'calendar-area';
    picker.addEventListener('change', () => { area = picker.value; closePanel(); show(message, null); refresh(); });
    const weekLabel = h('strong', { id: 'calendar-week' });
    const move = (days) => { week = new Date(week.getTime() + days * DAY_MS); closePanel(); show(message, null); refresh(); };
    const message = h('div', { id: 'calendar-message' });
    const gridSlot = h('div', { id: 'calendar-grid', class: 'table-wrap calendar-wrap' });
    const panel = h('div', { id: 'calendar-panel' });
    const closePanel = () => show(panel, null);
    const usable = bulletins.filter((b) => b.state === 'approved' || (b.state === 'draft' && ctx.me.schedulesDrafts !== false));

    function openForm(preset, titleText, replacing) {
      const form = scheduleForm(targets, usable, preset, async (saved) => {
        if (replacing) {
          try {
            await api.del(`/schedules/${encodeURIComponent(replacing.id)}`);
          } catch (error) {
            show(message, errorBox(error));
          }
        }
        closePanel();
        show(message, okBox(t(replacing ? 'calendar.replaced' : 'schedules.added')));
        await refresh();
        return saved;
      }, ctx.band, titleText);
      const cancel = h('button', { type: 'button', id: 'calendar-cancel', onclick: closePanel }, t('common.cancel'));
      form.append(cancel);
      show(panel, form);
      form.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      form.querySelector('#schedule-bulletin').focus();
    }

    function openSlot(day, minutes) {
      if (!canEdit) return;
      const date = localDate(day);
      openForm({ areas: area ? [area] : [], recurrence: 'once', from: date, at: hhmm(minutes) + ':00' },
        t('calendar.addAt', { day: dayHeading(day.toISOString()), time: hhmm(minutes) }));
    }

    async function openEntry(entry) {
      const rows = [
        [t('calendar.time'), `${timeOnly(entry.start.toISOString())} · ${duration(entry.durationMs)}`],
        [t('schedules.priority'), String(entry.priority)],
        [t('calendar.source'), t('calendar.source.' + entry.source.kind)],
      ];
      if (entry.gateways) rows.push([t('calendar.gateways'), String(entry.gateways.size)]);
      for (const other of entry.clashes) {
        rows.push([t('calendar.clash'), t(other.priority > entry.priority ? 'calendar.clashLoses' : other.priority < entry.priority ? 'calendar.clashWins' : 'calendar.clashTie',
          { title: other.title, priority: other.priority })]);
      }
      const actions = h('div', { class: 'row' });
      const card = h('section', { class: 'card', id: 'calendar-entry', dataset: { key: entry.key } },
        h('h2', {}, entry.title),
        h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        actions);
      show(panel, card);
      if (entry.source.kind === 'schedule') {
        try {
          const rule = await api.get(`/schedules/${entry.source.id}`);
          card.querySelector('dl').append(h('dt', {}, t('schedules.when')), h('dd', {}, `${when(rule)} · ${dates(rule)}`),
            h('dt', {}, t('schedules.createdBy')), h('dd', {}, rule.createdBy || '–'));
          if (mayChange(rule)) {
            actions.append(
              h('button', { type: 'button', 'data-action': 'edit', onclick: () => openForm({ ...rule }, t('calendar.editTitle', { title: entry.title }), rule) }, t('calendar.edit')),
              h('button', { type: 'button', class: 'danger', 'data-action': 'delete', onclick: (e) => remove(rule, entry, e.currentTarget) }, t('common.delete')));
          }
        } catch (error) { card.append(errorBox(error)); }
      } else if (entry.source.kind === 'program') {
        actions.append(h('a', { href: '#/programs' }, t('calendar.openPrograms')));
      } else if (entry.source.kind === 'relay') {
        card.querySelector('dl').append(h('dt', {}, t('schedules.when')), h('dd', {}, `${when(entry.relay)} · ${dates(entry.relay)}`));
      }
      card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    }

    function remove(rule, entry, button) {
      if (!confirm(t('schedules.confirmDelete', { title: entry.title }))) return;
      busy(button, async () => {
        try {
          await api.del(`/schedules/${encodeURIComponent(rule.id)}`);
          closePanel();
          show(message, okBox(t('schedules.deleted')));
          await refresh();
        } catch (error) { show(message, errorBox(error)); }
      });
    }

    function draw(entries) {
      const days = Array.from({ length: 7 }, (_, i) => new Date(week.getTime() + i * DAY_MS));
      const today = localDate();
      weekLabel.textContent = t('calendar.weekOf', { from: localDate(days[0]), to: localDate(days[6]) });
      const hours = h('div', { class: 'cal-hours', 'aria-hidden': 'true' },
        h('div', { class: 'cal-head' }), Array.from({ length: 24 }, (_, hour) => h('div', { class: 'cal-hour' }, `${pad(hour)}:00`)));
      const columns = days.map((day) => {
        const date = localDate(day);
        const inDay = entries.filter((e) => localDate(e.start) === date);
        const body = h('div', { class: 'cal-body', style: `height:${24 * HOUR_PX}px` });
        for (let m = 0; m < 24 * 60; m += SLOT_MINUTES) {
          body.append(h('button', {
            type: 'button', class: 'cal-slot', tabIndex: -1, style: `top:${(m / 60) * HOUR_PX}px;height:${(SLOT_MINUTES / 60) * HOUR_PX}px`,
            dataset: { day: date, time: hhmm(m) }, 'aria-label': t('calendar.addAt', { day: date, time: hhmm(m) }),
            disabled: !canEdit, onclick: () => openSlot(day, m),
          }));
        }
        for (const e of layOut(inDay)) {
          const top = (localMinutes(e.start) / 60) * HOUR_PX;
          const height = Math.max(18, (e.durationMs / 3_600_000) * HOUR_PX);
          const width = 100 / e.lanes;
          const label = `${timeOnly(e.start.toISOString()).slice(0, 5)} ${e.title}`;
          body.append(h('button', {
            type: 'button', class: `cal-entry kind-${e.source.kind}${e.clashes.length ? ' clash' : ''}`,
            style: `top:${top}px;height:${height}px;left:${e.lane * width}%;width:${width}%`,
            dataset: { key: e.key, time: timeOnly(e.start.toISOString()).slice(0, 5), priority: e.priority },
            title: `${label} · ${duration(e.durationMs)} · ${t('schedules.priority')} ${e.priority}${e.clashes.length ? ' · ' + t('calendar.clashShort') : ''}`,
            onclick: () => openEntry(e),
          }, h('span', { class: 'cal-time' }, label.slice(0, 5)), ' ', e.title, e.clashes.length ? h('span', { class: 'cal-clash', 'aria-label': t('calendar.clashShort') }, ' ⚠') : null));
        }
        return h('div', { class: 'cal-day' + (date === today ? ' today' : ''), dataset: { day: date } },
          h('div', { class: 'cal-head' }, dayHeading(day.toISOString())), body);
      });
      const grid = h('div', { class: 'cal-grid' }, hours, columns);
      // The slots are one tab stop (today's 06:00, or the week's first day's): the arrow keys
      // move between them — up and down half an hour, left and right a day — and Enter or
      // Space opens the form there, as a click does.
      if (canEdit) {
        const slots = columns.map((column) => [...column.querySelectorAll('.cal-slot')]);
        const first = Math.max(0, days.findIndex((day) => localDate(day) === today));
        slots[first][(6 * 60) / SLOT_MINUTES].tabIndex = 0;
        const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
        grid.addEventListener('keydown', (event) => {
          const move = moves[event.key];
          const from = event.target;
          if (!move || !from.classList.contains('cal-slot')) return;
          const day = slots.findIndex((column) => column.includes(from));
          const slot = slots[day].indexOf(from);
          const clamp = (value, last) => Math.min(last, Math.max(0, value));
          const next = slots[clamp(day + move[0], slots.length - 1)][clamp(slot + move[1], slots[0].length - 1)];
          event.preventDefault();
          from.tabIndex = -1;
          next.tabIndex = 0;
          next.focus();
        });
      }
      show(gridSlot, grid);
      // Morning in view: broadcasts start early.
      gridSlot.scrollTop = 5 * HOUR_PX;
    }

    async function refresh() {
      if (!area) { show(gridSlot, h('p', { class: 'empty' }, t('calendar.chooseArea'))); return; }
      const from = week;
      const to = new Date(week.getTime() + 7 * DAY_MS);
      try {
        const [preview, relays] = await Promise.all([
          api.get('/schedules/preview', { from: from.toISOString(), to: to.toISOString(), area }),
          api.all('/relay-schedules'),
        ]);
        const byItem = new Map();
        for (const item of preview.items || []) {
          if (!byItem.has(item.itemId)) {
            byItem.set(item.itemId, {
              key: item.itemId, title: item.title || titles.get(item.bulletin) || item.bulletin.slice(0, 12), start: new Date(item.startAt),
              durationMs: item.durationMs, priority: item.priority, gateways: new Set(), source: sourceOf(item.itemId), clashes: [],
            });
          }
          byItem.get(item.itemId).gateways.add(item.gatewayId);
        }
        // Relays of the area, of those above it (they reach its gateways) and of those below it.
        const near = new Set([...ancestors(areas, area), ...subtree(areas, area)]);
        const windows = relays.filter((r) => near.has(r.areaId)).flatMap((r) => relayWindows(r, from, to)).map((w) => ({ ...w, clashes: [] }));
        draw([...byItem.values(), ...windows]);
      } catch (error) {
        show(gridSlot, errorBox(error));
      }
    }

    put(root,
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('calendar.title')), h('p', { class: 'hint' }, t(canEdit ? 'calendar.hint' : 'calendar.hintRead'))),
        h('div', { class: 'tools' },
          h('label', { class: 'field' }, h('span', { class: 'label' }, t('common.area')), picker),
          h('div', { class: 'row week-nav' },
            h('button', { type: 'button', id: 'calendar-prev', onclick: () => move(-7) }, t('calendar.prev')),
            h('button', { type: 'button', id: 'calendar-today', onclick: () => { week = mondayOf(new Date()); closePanel(); refresh(); } }, t('calendar.thisWeek')),
            h('button', { type: 'button', id: 'calendar-next', onclick: () => move(7) }, t('calendar.next'))),
          weekLabel)),
      message,
      h('p', { class: 'legend' },
        ['schedule', 'program', 'relay'].map((k) => h('span', { class: `legend-item cal-legend kind-${k}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t('calendar.source.' + k))),
        h('span', { class: 'legend-item' }, '⚠ ', t('calendar.clashShort'))),
      gridSlot, panel);
    await refresh();
  },
};
