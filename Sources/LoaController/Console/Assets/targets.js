// Areas and gateways: loading them, their display names, what the user may change, and the
// pickers the schedule, announcement and play-log pages share ("where should this play").
import * as api from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

/** Gateways drawn at once in a picker; the others are found by typing (a province has thousands). */
export const GATEWAYS_SHOWN = 50;

/**
 * The caller's areas (parents first, as the API lists them) and every gateway in scope, however
 * many: GET /fleet gives them all in one answer (id, name, commune — what a picker and a name
 * need), where paging /gateways would carry each one's health report too.
 */
export async function loadTargets() {
  const [areas, fleet] = await Promise.all([api.get('/areas'), api.get('/fleet')]);
  const gateways = (fleet.gateways || []).map(({ id, name, areaId }) => ({ id, name, areaId }));
  return { areas: areas.items || [], gateways };
}

// Areas, gateways and bulletins with their display names: what the schedule and play-log pages show.
export async function loadCatalog() {
  const [targets, bulletins] = await Promise.all([loadTargets(), api.all('/bulletins')]);
  return { targets, bulletins, names: namer(targets), titles: new Map(bulletins.map((b) => [b.sha256, b.title])) };
}

/**
 * What the user may change: things whose areas and gateways all lie at or below their own area.
 * They see the areas above too (a province's schedule that plays in their commune), and the API
 * refuses a change there with 403, so the console does not offer it.
 */
export function scopeOf(me, { areas, gateways }) {
  const own = me && me.areaId ? subtree(areas, me.areaId) : null;
  const gatewayArea = new Map(gateways.map((g) => [g.id, g.areaId]));
  const covers = (areaId) => !own || own.has(areaId);
  return {
    covers,
    coversTargets: (areaIds = [], gatewayIds = []) => areaIds.every(covers) && gatewayIds.every((g) => !own || own.has(gatewayArea.get(g))),
  };
}

/** Id → display name lookups that fall back to the id for anything not in scope. */
export function namer({ areas, gateways }) {
  const areaNames = new Map(areas.map((a) => [a.id, a.name]));
  const gatewayNames = new Map(gateways.map((g) => [g.id, g.name]));
  return {
    area: (id) => (id ? areaNames.get(id) || id : '–'),
    gateway: (id) => (id ? gatewayNames.get(id) || id : '–'),
    targets: (areaIds = [], gatewayIds = []) => [
      ...areaIds.map((id) => areaNames.get(id) || id),
      ...gatewayIds.map((id) => gatewayNames.get(id) || id),
    ].join(', ') || '–',
  };
}

/** `id` and every area below it, as a set of ids. */
export function subtree(areas, id) {
  const children = new Map();
  for (const a of areas) {
    if (!children.has(a.parentId || null)) children.set(a.parentId || null, []);
    children.get(a.parentId || null).push(a.id);
  }
  const out = new Set();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop();
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) || []));
  }
  return out;
}

/** `id` and every area above it that the list holds, as a set of ids. */
export function ancestors(areas, id) {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const out = new Set();
  for (let at = id; at && byId.has(at) && !out.has(at); at = byId.get(at).parentId) out.add(at);
  return out;
}

/** Depth of each area in the tree, for indenting (a parent outside the caller's scope is a root). */
export function depths(areas) {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const depth = new Map();
  const of = (area) => {
    if (depth.has(area.id)) return depth.get(area.id);
    const parent = area.parentId && byId.get(area.parentId);
    const value = parent && parent !== area ? of(parent) + 1 : 0;
    depth.set(area.id, value);
    return value;
  };
  areas.forEach(of);
  return depth;
}

/** An area <select> with an "all" option first; `allLabel` names it. */
export function areaSelect(areas, allLabel, selected) {
  const depth = depths(areas);
  return h('select', { name: 'area' },
    h('option', { value: '' }, allLabel),
    areas.map((a) => h('option', { value: a.id, selected: a.id === selected },
      '\u00a0\u00a0'.repeat(depth.get(a.id)) + a.name)));
}

/** Lower-case text a gateway is found by: its name, id and commune. */
function searchText(g, areaNames) {
  return `${g.name} ${g.id} ${areaNames.get(g.areaId) || ''}`.toLowerCase();
}

/**
 * Checkboxes for areas (indented as a tree) and for single gateways. However large the fleet,
 * at most GATEWAYS_SHOWN gateway boxes are drawn: a search box finds the others by name, id or
 * commune, and the ones chosen stay listed first. `value()` gives `{areas, gateways}` as the API
 * wants them (a chosen gateway counts whether or not it is drawn).
 */
export function targetPicker({ areas, gateways }, prefix, preselected = {}) {
  const depth = depths(areas);
  const areaNames = new Map(areas.map((a) => [a.id, a.name]));
  const byId = new Map(gateways.map((g) => [g.id, g]));
  const texts = new Map(gateways.map((g) => [g.id, searchText(g, areaNames)]));
  const chosen = new Set(preselected.gateways || []);
  const box = (kind, id, label, indent, checked, onchange) => h('label', { class: 'check', style: `margin-left:${indent * 1.2}em` },
    h('input', { type: 'checkbox', name: `${prefix}-${kind}`, value: id, checked, onchange }), ' ', label);
  const areaBoxes = areas.map((a) => box('areas', a.id, `${a.name} (${t('kind.' + a.kind)})`, depth.get(a.id),
    (preselected.areas || []).includes(a.id)));
  const gatewayBox = (id) => {
    const g = byId.get(id);
    return box('gateways', id, g ? `${g.name} — ${areaNames.get(g.areaId) || g.areaId}` : id, 0, chosen.has(id),
      (event) => { if (event.target.checked) chosen.add(id); else chosen.delete(id); });
  };
  const list = h('div', { class: 'scroll', id: `${prefix}-gateway-list` });
  const count = h('p', { class: 'hint', id: `${prefix}-gateway-count`, 'aria-live': 'polite' });
  const filter = h('input', {
    type: 'search', class: 'filter', id: `${prefix}-gateway-search`, placeholder: t('targets.filter'),
    'aria-label': t('targets.filterLabel'), autocomplete: 'off', oninput: () => draw(),
  });
  function draw() {
    const needle = filter.value.trim().toLowerCase();
    const matches = needle ? gateways.filter((g) => texts.get(g.id).includes(needle)) : gateways;
    const shown = matches.slice(0, GATEWAYS_SHOWN).map((g) => g.id);
    const drawn = new Set(shown);
    const kept = [...chosen].filter((id) => !drawn.has(id));
    const boxes = [...kept, ...shown].map(gatewayBox);
    list.replaceChildren(...(boxes.length ? boxes
      : [h('p', { class: 'hint' }, t(gateways.length ? 'targets.noMatch' : 'targets.noGateways'))]));
    count.textContent = matches.length > shown.length
      ? t('targets.shownOf', { shown: shown.length, total: matches.length }) : '';
  }
  draw();
  const element = h('div', { class: 'targets', id: `${prefix}-targets` },
    h('fieldset', {}, h('legend', {}, t('targets.areas')),
      areaBoxes.length ? areaBoxes : h('p', { class: 'hint' }, t('targets.noAreas'))),
    h('fieldset', {}, h('legend', {}, t('targets.gateways')),
      gateways.length > 8 ? filter : null, count, list));
  const checked = (kind) => [...element.querySelectorAll(`input[name="${prefix}-${kind}"]:checked`)].map((i) => i.value);
  return { element, value: () => ({ areas: checked('areas'), gateways: [...chosen] }) };
}

/**
 * One gateway typed or picked from suggestions (a <datalist> of at most GATEWAYS_SHOWN matches,
 * however large the fleet), for a filter. `value()` is the gateway's id, '' when empty, or null
 * when the text names no single gateway.
 */
export function gatewayChoice(gateways, areas, { id, selected } = {}) {
  const areaNames = new Map(areas.map((a) => [a.id, a.name]));
  const texts = new Map(gateways.map((g) => [g.id, searchText(g, areaNames)]));
  const byId = new Map(gateways.map((g) => [g.id, g]));
  const shown = (g) => `${g.name} (${g.id})`;
  const options = h('datalist', { id: `${id}-options` });
  const input = h('input', {
    type: 'search', id, name: 'gateway', list: `${id}-options`, autocomplete: 'off', placeholder: t('common.allGateways'),
    value: selected && byId.has(selected) ? shown(byId.get(selected)) : (selected || ''),
  });
  const matches = () => {
    const needle = input.value.trim().toLowerCase();
    return needle ? gateways.filter((g) => texts.get(g.id).includes(needle)) : gateways;
  };
  const suggest = () => options.replaceChildren(...matches().slice(0, GATEWAYS_SHOWN).map((g) => h('option', { value: shown(g) })));
  input.addEventListener('input', suggest);
  suggest();
  return {
    input,
    element: h('span', {}, input, options),
    value() {
      const text = input.value.trim();
      if (!text) return '';
      const id = (/\(([a-z0-9-]+)\)$/.exec(text) || [])[1] || text;
      if (byId.has(id)) return id;
      const named = gateways.filter((g) => g.name.toLowerCase() === text.toLowerCase());
      if (named.length === 1) return named[0].id;
      const found = matches();
      return found.length === 1 ? found[0].id : null;
    },
  };
}
