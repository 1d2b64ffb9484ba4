// Small DOM and formatting helpers shared by the pages. Text goes in through textContent only,
// never innerHTML, so a title or an error message cannot inject markup.
import { t, lang } from './i18n.js';

/** h('button', {class: 'x', onclick: f}, 'text', child…) → element. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key in element && typeof value !== 'string') element[key] = value;
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** The same for SVG: svg('circle', {cx, cy, r, onclick}, child…); null and undefined skipped. */
export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function clear(element) { element.replaceChildren(); return element; }

/** Appends the children that are present (Element.append would write "null" for a null). */
export function put(parent, ...children) {
  parent.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return parent;
}

/** A table: columns [{label, cell(row) → node|string, class?}], rows, and a text for no rows. */
export function table(columns, rows, emptyText, rowAttrs = () => ({})) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class }, c.label))));
  const body = h('tbody', {});
  if (rows.length === 0) body.append(h('tr', {}, h('td', { class: 'empty', colSpan: columns.length }, emptyText)));
  for (const row of rows) {
    body.append(h('tr', rowAttrs(row), columns.map((c) => h('td', { class: c.class }, c.cell(row)))));
  }
  return h('div', { class: 'table-wrap' }, h('table', {}, head, body));
}

// The deployment's local zone. Vietnam keeps UTC+7 all year (no daylight saving), which is what
// lets form inputs (local date and time) be turned into UTC by a fixed offset.
export const ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET = '+07:00';

function locale() { return lang() === 'vi' ? 'vi-VN' : 'en-GB'; }

/** RFC 3339 → local date and time, e.g. "29/11/2026 13:23:17". */
export function dateTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(date);
}

/** RFC 3339 → local weekday and date, a heading for a day of the preview. */
export function dayHeading(iso) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(new Date(iso));
}

export function timeOnly(iso) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(iso));
}

/** The local calendar date of an instant, "YYYY-MM-DD". */
export function localDate(date = new Date()) {
  return new Date(date.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A local "YYYY-MM-DDTHH:MM" (datetime-local input) → RFC 3339 UTC, or undefined when empty. */
export function localToUTC(value) {
  if (!value) return undefined;
  const withSeconds = value.length === 16 ? value + ':00' : value;
  const date = new Date(withSeconds + OFFSET);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A duration from milliseconds, compact: "1:05" or "1:02:05". */
export function duration(ms) {
  if (ms === undefined || ms === null) return '–';
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function bytes(count) {
  if (count === undefined || count === null) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(count);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toLocaleString(locale(), { maximumFractionDigits: unit ? 1 : 0 })} ${units[unit]}`;
}

export function number(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(Number(value))) return '–';
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** "3 phút trước" / "3 minutes ago". */
export function ago(iso) {
  if (!iso) return t('common.never');
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(-seconds, 'second');
  if (Math.abs(seconds) < 3600) return format.format(-Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return format.format(-Math.round(seconds / 3600), 'hour');
  return format.format(-Math.round(seconds / 86400), 'day');
}

// The sentence for a refusal whose code the console has no words for, by its HTTP status.
const codeForStatus = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'gone',
  413: 'payload_too_large', 415: 'unsupported_media', 422: 'validation_failed', 429: 'rate_limited', 503: 'unavailable',
};

/**
 * A message box for an error: a plain sentence in the console's language for the error's code
 * (or, for a code it does not know, its HTTP status), how long to wait when the controller said,
 * then what exactly was wrong — the API's own message, marked as the controller's words (they are
 * in English), or the console's own sentence for a check made in the page.
 */
export function errorBox(error) {
  const status = error && error.status;
  const code = (error && error.code) || null;
  const summary = (code && t('error.' + code, {}, null))
    || (status && codeForStatus[status] && t('error.' + codeForStatus[status], {}, null))
    || (status >= 500 ? t('error.internal') : t('error.generic'));
  const detail = error && error.message ? error.message : '';
  return h('div', { class: 'message error', role: 'alert' },
    h('strong', {}, summary),
    error && error.retryAfter ? ' ' + t('error.retryAfter', { seconds: error.retryAfter }) : null, ' ',
    detail && status ? h('span', { class: 'detail-label' }, t('error.detailLabel')) : null,
    h('span', { class: 'api-message' }, detail));
}

export function okBox(text) { return h('div', { class: 'message ok', role: 'status' }, text); }

/** Shows `node` (or nothing) in a message slot. */
export function show(slot, node) { slot.replaceChildren(...(node ? [node] : [])); }

/** A labelled form field: label text above the control; `hint` below it. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/** Disables a button while `work` runs, so a double click does not send twice. */
export async function busy(button, work) {
  button.disabled = true;
  try { return await work(); } finally { button.disabled = false; }
}

/**
 * Runs `redraw`, which replaces what `slot` holds (a list refreshed on a timer), and puts the
 * keyboard focus back where it was: on the same row (`data-id`), or on that row's button of the
 * same `data-action`. Without it each refresh would throw a keyboard user back to the page's top.
 */
export function keepingFocus(slot, redraw) {
  const active = document.activeElement;
  const row = active && slot.contains(active) ? active.closest('[data-id]') : null;
  const was = row ? { id: row.dataset.id, action: active === row ? null : active.dataset.action || null, onRow: active === row } : null;
  redraw();
  if (!was) return;
  const again = [...slot.querySelectorAll('[data-id]')].find((r) => r.dataset.id === was.id);
  const target = again && (was.onRow ? again : was.action ? again.querySelector(`[data-action="${was.action}"]`) : null);
  if (target) target.focus();
}
