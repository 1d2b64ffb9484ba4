// Areas and gateways: loading them, their display names, and the picker the schedule and
// announcement forms share ("where should this play").
import * as api from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

/** The caller's areas (parents first, as the API lists them) and gateways in scope. */
export async function loadTargets() {
  const [areas, gateways] = await Promise.all([api.get('/areas'), api.all('/gateways')]);
  return { areas: areas.items || [], gateways };
}

/** Id → display name lookups that fall back to the id for anything not in scope. */
// Areas, gateways and bulletins with their display names: what the schedule and play-log pages show.
export async function loadCatalog() {
  const [targets, bulletins] = await Promise.all([loadTargets(), api.all('/bulletins')]);
  return { targets, bulletins, names: namer(targets), titles: new Map(bulletins.map((b) => [b.sha256, b.title])) };
}

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

/**
 * Checkboxes for areas (indented as a tree) and for single gateways, with a filter box for the
 * gateways. `value()` gives `{areas, gateways}` as the API wants them.
 */
export function targetPicker({ areas, gateways }, prefix, preselected = {}) {
  const depth = depths(areas);
  const areaNames = new Map(areas.map((a) => [a.id, a.name]));
  const box = (kind, id, label, indent) => h('label', { class: 'check', style: `margin-left:${indent * 1.2}em` },
    h('input', { type: 'checkbox', name: `${prefix}-${kind}`, value: id,
      checked: (preselected[kind] || []).includes(id) }), ' ', label);
  const areaBoxes = areas.map((a) => box('areas', a.id, `${a.name} (${t('kind.' + a.kind)})`, depth.get(a.id)));
  const gatewayBoxes = gateways.map((g) => box('gateways', g.id, `${g.name} — ${areaNames.get(g.areaId) || g.areaId}`, 0));
  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: t('targets.filter'),
    oninput: () => {
      const needle = filter.value.trim().toLowerCase();
      for (const label of gatewayBoxes) label.hidden = needle !== '' && !label.textContent.toLowerCase().includes(needle);
    },
  });
  const element = h('div', { class: 'targets', id: `${prefix}-targets` },
    h('fieldset', {}, h('legend', {}, t('targets.areas')),
      areaBoxes.length ? areaBoxes : h('p', { class: 'hint' }, t('targets.noAreas'))),
    h('fieldset', {}, h('legend', {}, t('targets.gateways')),
      gatewayBoxes.length > 8 ? filter : null,
      h('div', { class: 'scroll' }, gatewayBoxes.length ? gatewayBoxes : h('p', { class: 'hint' }, t('targets.noGateways')))));
  const checked = (kind) => [...element.querySelectorAll(`input[name="${prefix}-${kind}"]:checked`)].map((i) => i.value);
  return { element, value: () => ({ areas: checked('areas'), gateways: checked('gateways') }) };
}
