// A program's items in their order: add an approved bulletin (as a bulletin or as a jingle), a
// pause or a relay of the station above, move one up or down, remove one. Each item is placed on the time line as the controller
// places it (ProgramCompiler.layout: under finish-item an item starting at or after the planned
// length is left out), with the running total against the planned length.
import { t } from './i18n.js';
import { h, put, clear, errorBox, show, duration, field } from './dom.js';

const MAX_ITEMS = 100;
const PAUSE_SECONDS = { min: 1, max: 600 };
const RELAY_SECONDS = { min: 10, max: 21_600 }; // the API's limits: 10 s to 6 hours

/** What an item takes on the line without a bulletin: a pause's or a relay's length. */
const ownLength = (item) => (item.type === 'pause' || item.type === 'relay' ? item.seconds * 1000 : undefined);

/** An item as the API takes it. */
function asInput(item) {
  if (item.type === 'pause') return { type: 'pause', seconds: item.seconds };
  if (item.type === 'relay') {
    const relay = { type: 'relay', url: item.url, title: item.title, seconds: item.seconds };
    return item.fallbackBulletin ? { ...relay, fallbackBulletin: item.fallbackBulletin } : relay;
  }
  return { type: item.type, bulletin: item.bulletin };
}

/**
 * Each item's start and length in ms, and whether it plays; `total` is every item's length
 * together (what the program runs to with play-on), `plannedMs` null for no planned length.
 */
function layout(items, lengths, plannedMs, overrun) {
  let offset = 0;
  let total = 0;
  const placed = items.map((item) => {
    const length = ownLength(item) ?? lengths.get(item.bulletin);
    const approved = length !== undefined;
    const afterPlanned = overrun === 'finish-item' && plannedMs !== null && offset >= plannedMs;
    const plays = approved && !afterPlanned;
    const slot = { ...item, offsetMs: offset, durationMs: length || 0, plays, why: approved ? (plays ? null : 'leftOut') : 'notApproved' };
    if (plays) offset += slot.durationMs;
    total += slot.durationMs;
    return slot;
  });
  return { placed, total };
}

/**
 * The editor. `approved`: the bulletins that may be items, offered by title; `settings()` gives
 * `{plannedMs, overrun}` from the rest of the form when the list is drawn. `items()` is the list
 * as the API takes it; `set(items, titles)` fills it from a stored program (`titles`: sha256 →
 * title for bulletins no longer approved); `redraw()` after the planned length or rule changes.
 */
export function itemEditor(approved, settings) {
  let items = [];
  const lengths = new Map(approved.map((b) => [b.sha256, b.durationMs]));
  const titles = new Map(approved.map((b) => [b.sha256, b.title]));

  const list = h('ol', { class: 'program-items', id: 'program-items', 'aria-label': t('programs.items') });
  const total = h('p', { class: 'program-total', id: 'program-total', 'aria-live': 'polite' });
  const slot = h('div', { id: 'program-items-message' });
  const bulletin = h('select', { name: 'itemBulletin', id: 'program-bulletin' },
    h('option', { value: '' }, t('common.choose')),
    approved.map((b) => h('option', { value: b.sha256 }, `${b.title} (${duration(b.durationMs)})`)));
  const seconds = h('input', { type: 'number', name: 'pauseSeconds', id: 'program-pause-seconds', min: PAUSE_SECONDS.min, max: PAUSE_SECONDS.max, step: 1, value: 5 });
  const relayUrl = h('input', { type: 'url', name: 'relayUrl', id: 'program-relay-url', maxLength: 2000, placeholder: 'http://' });
  const relayTitle = h('input', { name: 'relayTitle', id: 'program-relay-title', maxLength: 200 });
  const relayMinutes = h('input', { type: 'number', name: 'relayMinutes', id: 'program-relay-minutes', min: 0.2, max: 360, step: 'any', value: 15 });
  const relayFallback = h('select', { name: 'relayFallback', id: 'program-relay-fallback' },
    h('option', { value: '' }, t('programs.noFallback')),
    approved.map((b) => h('option', { value: b.sha256 }, `${b.title} (${duration(b.durationMs)})`)));

  const refuse = (key) => show(slot, errorBox({ code: 'validation_failed', message: t(key) }));

  function add(item, focusAfter) {
    if (items.length >= MAX_ITEMS) return refuse('programs.tooMany');
    items.push(item);
    show(slot, null);
    draw();
    focusAfter.focus();
  }

  function addBulletin(type, button) {
    if (!bulletin.value) return refuse('programs.needBulletin');
    add({ type, bulletin: bulletin.value }, button);
  }

  function addPause() {
    const value = Number(seconds.value);
    if (!Number.isInteger(value) || value < PAUSE_SECONDS.min || value > PAUSE_SECONDS.max) return refuse('programs.needPause');
    add({ type: 'pause', seconds: value }, seconds);
  }

  function addRelay(button) {
    const url = relayUrl.value.trim();
    const title = relayTitle.value.trim();
    const length = Math.round(Number(relayMinutes.value) * 60);
    if (!/^https?:\/\/\S+$/i.test(url) || !title || !(length >= RELAY_SECONDS.min && length <= RELAY_SECONDS.max)) return refuse('programs.needRelay');
    add({ type: 'relay', url, title, seconds: length, fallbackBulletin: relayFallback.value || null }, button);
  }

  // The moved item keeps the focus (on the same button, or the other one at the list's end), so
  // a keyboard user can press again; after a removal the focus goes to the item now in its place.
  function move(index, step, action) {
    const to = index + step;
    [items[index], items[to]] = [items[to], items[index]];
    draw();
    const row = list.children[to];
    const button = row.querySelector(`button[data-action="${action}"]`);
    (button.disabled ? row.querySelector(`button[data-action="${action === 'up' ? 'down' : 'up'}"]`) : button).focus();
  }

  function remove(index) {
    items.splice(index, 1);
    draw();
    const row = list.children[Math.min(index, items.length - 1)];
    (items.length ? row.querySelector('button[data-action="remove"]') : bulletin).focus();
  }

  function row(slotItem, index) {
    const position = index + 1;
    const label = `program-item-${position}`;
    const title = slotItem.type === 'pause' ? t('programs.pauseOf', { seconds: slotItem.seconds })
      : slotItem.type === 'relay' ? h('span', {}, slotItem.title, ' ', h('small', { class: 'relay-url' }, slotItem.url),
        slotItem.fallbackBulletin ? h('small', {}, ' · ', t('programs.fallbackOf', { title: titles.get(slotItem.fallbackBulletin) || slotItem.fallbackBulletin.slice(0, 12) })) : null)
        : titles.get(slotItem.bulletin) || slotItem.bulletin.slice(0, 12);
    const button = (action, text, disabled, onclick) => h('button', {
      type: 'button', 'data-action': action, disabled, 'aria-describedby': label, onclick,
    }, text);
    return h('li', { class: slotItem.plays ? 'program-item' : 'program-item left-out', dataset: { type: slotItem.type, position: String(position) } },
      h('span', { class: 'item-title', id: label },
        `${position}. `, h('span', { class: `badge item-${slotItem.type}` }, t('programs.type.' + slotItem.type)), ' ', title),
      h('small', { class: 'item-time' }, slotItem.why ? t('programs.' + slotItem.why)
        : t('programs.itemTime', { start: duration(slotItem.offsetMs), length: duration(slotItem.durationMs) })),
      h('span', { class: 'actions' },
        button('up', t('programs.moveUp'), index === 0, () => move(index, -1, 'up')),
        button('down', t('programs.moveDown'), index === items.length - 1, () => move(index, 1, 'down')),
        button('remove', t('programs.remove'), false, () => remove(index))));
  }

  function draw() {
    const { plannedMs, overrun } = settings();
    const { placed, total: length } = layout(items, lengths, plannedMs, overrun);
    list.replaceChildren(...(placed.length ? placed.map(row) : [h('li', { class: 'empty' }, t('programs.noItems'))]));
    const over = plannedMs !== null && length > plannedMs;
    total.classList.toggle('over', over);
    put(clear(total), plannedMs === null
      ? t('programs.total', { total: duration(length) })
      : t('programs.totalPlanned', { total: duration(length), planned: duration(plannedMs) }),
    over ? h('span', { class: 'warn' }, ' ⚠ ', t(overrun === 'play-on' ? 'programs.overPlayOn' : 'programs.overFinish',
      { over: duration(length - plannedMs), planned: duration(plannedMs) })) : null);
  }

  // Enter in the seconds box adds the pause rather than saving the whole form.
  seconds.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addPause(); }
  });
  const addBulletinButton = h('button', { type: 'button', id: 'program-add-bulletin', onclick: (e) => addBulletin('bulletin', e.currentTarget) }, t('programs.addBulletin'));
  const addJingleButton = h('button', { type: 'button', id: 'program-add-jingle', onclick: (e) => addBulletin('jingle', e.currentTarget) }, t('programs.addJingle'));
  const element = h('div', { class: 'program-editor' },
    list, total,
    h('div', { class: 'row' }, field(t('programs.chooseBulletin'), bulletin, approved.length ? null : t('programs.noApproved')),
      h('div', { class: 'buttons' }, addBulletinButton, addJingleButton)),
    h('div', { class: 'row' }, field(t('programs.pauseSeconds'), seconds),
      h('button', { type: 'button', id: 'program-add-pause', onclick: addPause }, t('programs.addPause'))),
    h('div', { class: 'row' }, field(t('programs.relayUrl'), relayUrl), field(t('programs.relayTitle'), relayTitle),
      field(t('programs.relayMinutes'), relayMinutes), field(t('programs.relayFallback'), relayFallback),
      h('button', { type: 'button', id: 'program-add-relay', onclick: (e) => addRelay(e.currentTarget) }, t('programs.addRelay'))),
    slot);
  draw();

  return {
    element,
    items: () => items.map(asInput),
    set(stored, storedTitles = new Map()) {
      items = stored.map((i) => ({ ...i }));
      for (const [sha256, title] of storedTitles) if (!titles.has(sha256)) titles.set(sha256, title);
      show(slot, null);
      draw();
    },
    redraw: draw,
  };
}
