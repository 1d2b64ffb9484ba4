// When something recurs: the once / daily / weekly picker the schedule, relay and program forms
// share, and how a recurring thing (schedule entry, relay, program) reads in a table.
import { t } from './i18n.js';
import { h } from './dom.js';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]; // ISO: 1 = Monday … 7 = Sunday

/** "Hằng tuần T2, T4 lúc 06:30" / "Weekly Mon, Wed at 06:30". */
export function when(entry) {
  const at = (entry.at || '').slice(0, 8).replace(/:00$/, '');
  if (entry.recurrence === 'weekly') {
    const days = (entry.days || []).map((d) => t('weekday.' + d)).join(', ');
    return t('schedules.whenWeekly', { days, at });
  }
  return t(entry.recurrence === 'daily' ? 'schedules.whenDaily' : 'schedules.whenOnce', { at });
}

export function dates(entry) {
  if (entry.recurrence === 'once') return entry.from;
  return entry.until ? `${entry.from} → ${entry.until}` : t('schedules.fromOnwards', { from: entry.from });
}

/** A time input's "HH:MM" or "HH:MM:SS" as the API's "HH:MM:SS". */
export const withSeconds = (value) => (value.length === 5 ? value + ':00' : value);

/**
 * Once / daily / weekly radios with the weekday boxes shown for weekly (and `until` disabled for
 * once); ids `PREFIX-recurrence`, `PREFIX-days`. `set(kind, days)` fills it from a stored rule.
 */
export function recurrencePicker(prefix, until) {
  const radios = h('div', { class: 'radios', id: `${prefix}-recurrence`, role: 'radiogroup', 'aria-label': t('schedules.repeatKind') },
    ['once', 'daily', 'weekly'].map((r) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: `${prefix}-recurrence`, value: r, checked: r === 'daily' }), ' ', t('recurrence.' + r))));
  const days = h('div', { class: 'days', id: `${prefix}-days`, hidden: true, role: 'group', 'aria-label': t('schedules.days') },
    WEEKDAYS.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: `${prefix}-days`, value: d }), ' ', t('weekday.' + d))));
  const kind = () => radios.querySelector('input:checked').value;
  const update = () => {
    days.hidden = kind() !== 'weekly';
    until.disabled = kind() === 'once';
  };
  radios.addEventListener('change', update);
  return {
    element: h('div', { class: 'field' }, h('span', { class: 'label' }, t('schedules.repeatKind')), radios, days),
    radios,
    kind,
    days: () => [...days.querySelectorAll('input:checked')].map((i) => Number(i.value)),
    set(recurrence, chosen = []) {
      for (const input of radios.querySelectorAll('input')) input.checked = input.value === recurrence;
      for (const input of days.querySelectorAll('input')) input.checked = chosen.includes(Number(input.value));
      update();
    },
  };
}
