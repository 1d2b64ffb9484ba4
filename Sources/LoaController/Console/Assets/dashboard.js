// The fleet at a glance (the central office's page): counts per area with a drill-down
// (province → district → commune), a map of every gateway from its coordinates drawn as SVG (no
// tile server; clusters at low zoom), and the gateways that need someone. Changes are pushed by
// the controller (GET /api/v1/fleet/events, server-sent events read with fetch so the token goes
// along): a gateway whose process dies turns red as its connection closes, without a reload.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, svg, put, table, errorBox, show, timeOnly, ago, dateTime } from './dom.js';
import { subtree } from './targets.js';

const CONDITIONS = ['offline', 'faulty', 'playing', 'online'];  // worst first
const MAP = { width: 800, height: 480, pad: 24 };
const CLUSTER_ABOVE = 300;  // more gateways than this in view: drawn as clusters
const CELL = 48;            // cluster cell, in map units: wider than the largest cluster's circle
const PROBLEMS_SHOWN = 50;
const RENDER_EVERY_MS = 250;


const worst = (conditions) => CONDITIONS.find((c) => conditions.includes(c)) || 'online';

/** Counts per area id, each area counting the gateways below it (the API's FleetSummary, kept live). */
function countAreas(areas, gateways) {
  const parent = new Map(areas.map((a) => [a.id, a.parentId || null]));
  const counts = new Map(areas.map((a) => [a.id, { online: 0, offline: 0, playing: 0, faulty: 0, total: 0 }]));
  for (const g of gateways) {
    const seen = new Set();
    for (let id = g.areaId; id && counts.has(id) && !seen.has(id); id = parent.get(id)) {
      seen.add(id);
      const c = counts.get(id);
      c[g.condition] += 1;
      c.total += 1;
    }
  }
  return counts;
}

/** Degrees to map units: equirectangular, longitude shrunk by the cosine of the middle latitude. */
function projection(bounds) {
  const midLat = (bounds.south + bounds.north) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const spanX = Math.max((bounds.east - bounds.west) * kx, 1e-4);
  const spanY = Math.max(bounds.north - bounds.south, 1e-4);
  const scale = Math.min((MAP.width - 2 * MAP.pad) / spanX, (MAP.height - 2 * MAP.pad) / spanY);
  const offsetX = (MAP.width - spanX * scale) / 2;
  const offsetY = (MAP.height - spanY * scale) / 2;
  return (g) => [offsetX + (g.longitude - bounds.west) * kx * scale, offsetY + (bounds.north - g.latitude) * scale];
}

const MIN_SPAN = 0.02;  // degrees (about 2 km): one gateway, or a few close together, sit mid-map

function boundsOf(points) {
  let south = Infinity, north = -Infinity, west = Infinity, east = -Infinity;
  for (const g of points) {
    south = Math.min(south, g.latitude); north = Math.max(north, g.latitude);
    west = Math.min(west, g.longitude); east = Math.max(east, g.longitude);
  }
  const growLat = Math.max(0, MIN_SPAN - (north - south)) / 2;
  const growLon = Math.max(0, MIN_SPAN - (east - west)) / 2;
  return { south: south - growLat, north: north + growLat, west: west - growLon, east: east + growLon };
}

/** Lines of latitude and longitude at a round step, labelled, so a map without tiles still reads. */
function graticule(bounds, project) {
  const span = Math.max(bounds.north - bounds.south, bounds.east - bounds.west);
  const step = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5].find((s) => span / s <= 6) || 10;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  const lines = [];
  const south = bounds.south - span, north = bounds.north + span, west = bounds.west - span, east = bounds.east + span;
  for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
    const [, y] = project({ latitude: lat, longitude: west });
    if (y < 0 || y > MAP.height) continue;
    lines.push(svg('line', { x1: 0, x2: MAP.width, y1: y, y2: y }), svg('text', { x: 4, y: y - 3 }, `${lat.toFixed(digits)}°N`));
  }
  for (let lon = Math.ceil(west / step) * step; lon <= east; lon += step) {
    const [x] = project({ latitude: south, longitude: lon });
    if (x < 0 || x > MAP.width) continue;
    lines.push(svg('line', { x1: x, x2: x, y1: 0, y2: MAP.height }), svg('text', { x: x + 3, y: MAP.height - 4 }, `${lon.toFixed(digits)}°E`));
  }
  return svg('g', { class: 'graticule', 'aria-hidden': 'true' }, lines);
}

function conditionWord(condition) { return t('fleet.condition.' + condition); }

export default {
  async render(root, ctx) {
    const abort = new AbortController();
    ctx.onDispose(() => abort.abort());

    let view = await api.get('/fleet');
    const gateways = new Map(view.gateways.map((g) => [g.id, g]));
    let areas = view.areas;
    let current = ctx.params.area && areas.some((a) => a.id === ctx.params.area) ? ctx.params.area : (view.area || null);
    let zoom = null;  // map bounds when zoomed into a cluster

    const liveBadge = h('span', { id: 'fleet-live', class: 'live-badge', dataset: { state: 'connecting' } }, t('fleet.connecting'));
    const updated = h('small', { class: 'updated' });
    const message = h('div', {});
    const crumbs = h('nav', { id: 'fleet-crumbs', class: 'crumbs', 'aria-label': t('fleet.crumbs') });
    const cards = h('div', { id: 'fleet-counts', class: 'count-cards' });
    const childSlot = h('div', { id: 'fleet-areas' });
    const mapSlot = h('div', { id: 'fleet-map', class: 'fleet-map' });
    const mapNote = h('p', { class: 'hint', id: 'fleet-map-note' });
    const resetZoom = h('button', { type: 'button', id: 'fleet-zoom-out', hidden: true, onclick: () => { zoom = null; draw(); } }, t('fleet.zoomOut'));
    const problemSlot = h('div', { id: 'fleet-problems' });

    const areaName = (id) => (areas.find((a) => a.id === id) || {}).name || id || t('fleet.everything');
    const drill = (id) => { current = id; zoom = null; draw(); };

    function drawCrumbs() {
      const chain = [];
      const byId = new Map(areas.map((a) => [a.id, a]));
      for (let id = current; id && byId.has(id); id = byId.get(id).parentId) chain.unshift(byId.get(id));
      const top = view.area ? [] : [{ id: null, name: t('fleet.everything') }];
      const links = [...top, ...chain];
      crumbs.replaceChildren(...links.flatMap((a, i) => {
        const last = i === links.length - 1;
        const node = last ? h('strong', { 'aria-current': 'page' }, a.name)
          : h('button', { type: 'button', class: 'link', dataset: { area: a.id || '' }, onclick: () => drill(a.id) }, a.name);
        return i === 0 ? [node] : [h('span', { 'aria-hidden': 'true' }, ' › '), node];
      }));
    }

    function drawCards(counts) {
      const c = current ? counts.get(current) : [...gateways.values()].reduce((sum, g) => {
        sum[g.condition] += 1; sum.total += 1; return sum;
      }, { online: 0, offline: 0, playing: 0, faulty: 0, total: 0 });
      cards.replaceChildren(
        h('div', { class: 'count-card total', dataset: { condition: 'total' } }, h('strong', {}, String(c.total)), t('fleet.total')),
        ...['online', 'playing', 'faulty', 'offline'].map((k) =>
          h('div', { class: 'count-card cond-' + k, dataset: { condition: k } }, h('strong', {}, String(c[k])), conditionWord(k))));
    }

    function drawChildren(counts) {
      const children = areas.filter((a) => (a.parentId || null) === current && a.id !== current)
        .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));
      if (!children.length) { show(childSlot, null); return; }
      const cell = (k) => (a) => {
        const n = counts.get(a.id)[k];
        return h('span', { class: n && (k === 'offline' || k === 'faulty') ? 'cond-' + k + ' strong' : '' }, String(n));
      };
      show(childSlot, h('section', { class: 'card' }, h('h2', {}, t('fleet.areasBelow')),
        table([
          { label: t('fleet.area'), cell: (a) => h('button', { type: 'button', class: 'link', dataset: { area: a.id }, onclick: () => drill(a.id) }, a.name) },
          { label: t('fleet.kind'), cell: (a) => t('fleet.kind.' + a.kind) },
          { label: conditionWord('online'), class: 'num', cell: cell('online') },
          { label: conditionWord('playing'), class: 'num', cell: cell('playing') },
          { label: conditionWord('faulty'), class: 'num', cell: cell('faulty') },
          { label: conditionWord('offline'), class: 'num', cell: cell('offline') },
          { label: t('fleet.total'), class: 'num', cell: (a) => String(counts.get(a.id).total) },
        ], children, '', (a) => ({ dataset: { area: a.id } }))));
    }

    function drawMap(inView) {
      const placed = inView.filter((g) => typeof g.latitude === 'number' && typeof g.longitude === 'number');
      const unplaced = inView.length - placed.length;
      resetZoom.hidden = !zoom;
      mapNote.textContent = unplaced ? t('fleet.unplaced', { count: unplaced }) : '';
      if (!placed.length) {
        show(mapSlot, h('p', { class: 'empty' }, t('fleet.noPlaces')));
        return;
      }
      const shown = zoom ? placed.filter((g) => g.latitude >= zoom.south && g.latitude <= zoom.north
        && g.longitude >= zoom.west && g.longitude <= zoom.east) : placed;
      const bounds = zoom || boundsOf(placed);
      const project = projection(bounds);
      const marks = [];
      if (shown.length > CLUSTER_ABOVE) {
        const cells = new Map();
        for (const g of shown) {
          const [x, y] = project(g);
          const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
          if (!cells.has(key)) cells.set(key, []);
          cells.get(key).push({ g, x, y });
        }
        for (const members of cells.values()) {
          const x = members.reduce((s, m) => s + m.x, 0) / members.length;
          const y = members.reduce((s, m) => s + m.y, 0) / members.length;
          const condition = worst(members.map((m) => m.g.condition));
          if (members.length === 1) { marks.push(dot(members[0].g, x, y)); continue; }
          const r = 9 + Math.min(12, Math.log2(members.length) * 1.6);
          const down = members.filter((m) => m.g.condition === 'offline').length;
          marks.push(svg('g', {
            class: 'cluster cond-' + condition, tabindex: 0, role: 'button',
            'aria-label': t('fleet.clusterLabel', { count: members.length, offline: down }),
            onclick: () => { zoom = boundsOf(members.map((m) => m.g)); widen(zoom); draw(); },
          }, svg('circle', { cx: x, cy: y, r }), svg('text', { x, y: y + 4, 'text-anchor': 'middle' }, String(members.length)),
          svg('title', {}, t('fleet.clusterLabel', { count: members.length, offline: down }))));
        }
      } else {
        for (const g of shown) { const [x, y] = project(g); marks.push(dot(g, x, y)); }
      }
      show(mapSlot, svg('svg', { viewBox: `0 0 ${MAP.width} ${MAP.height}`, role: 'img', 'aria-label': t('fleet.mapLabel', { count: shown.length }) },
        svg('rect', { class: 'map-ground', x: 0, y: 0, width: MAP.width, height: MAP.height, rx: 8 }), graticule(bounds, project), marks));
    }

    // A cluster's bounds grown a little, so its members do not sit on the map's edge.
    function widen(bounds) {
      const dLat = Math.max((bounds.north - bounds.south) * 0.1, 0.002);
      const dLon = Math.max((bounds.east - bounds.west) * 0.1, 0.002);
      Object.assign(bounds, { south: bounds.south - dLat, north: bounds.north + dLat, west: bounds.west - dLon, east: bounds.east + dLon });
    }

    function dot(g, x, y) {
      const open = () => ctx.navigate('gateways', { id: g.id });
      return svg('circle', {
        class: 'gateway-dot cond-' + g.condition, cx: x, cy: y, r: 7, tabindex: 0, role: 'button',
        'data-gateway': g.id, 'data-condition': g.condition,
        'aria-label': `${g.name}: ${conditionWord(g.condition)}`,
        onclick: open, onkeydown: (e) => { if (e.key === 'Enter') open(); },
      }, svg('title', {}, `${g.name} — ${conditionWord(g.condition)}${g.nowPlayingTitle ? ' · ' + g.nowPlayingTitle : ''}`));
    }

    function drawProblems(inView) {
      const rank = (g) => CONDITIONS.indexOf(g.condition);
      const problems = inView.filter((g) => g.condition === 'offline' || g.condition === 'faulty')
        .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'vi', { numeric: true }));
      const rows = problems.slice(0, PROBLEMS_SHOWN);
      show(problemSlot, h('section', { class: 'card' },
        h('h2', {}, t('fleet.problems', { count: problems.length })),
        problems.length > rows.length ? h('p', { class: 'hint' }, t('fleet.problemsFirst', { shown: rows.length })) : null,
        table([
          { label: t('fleet.state'), cell: (g) => h('span', { class: 'status cond-' + g.condition }, h('span', { class: 'dot', 'aria-hidden': 'true' }), conditionWord(g.condition)) },
          { label: t('fleet.gateway'), cell: (g) => h('a', { href: `#/gateways?id=${encodeURIComponent(g.id)}` }, g.name) },
          { label: t('fleet.area'), cell: (g) => areaName(g.areaId) },
          { label: t('fleet.why'), class: 'wrap', cell: (g) => (g.condition === 'offline'
            ? (g.lastSeenAt ? h('span', { title: dateTime(g.lastSeenAt) }, t('fleet.lastSeen', { ago: ago(g.lastSeenAt) })) : t('fleet.neverSeen'))
            : g.faults.join('; ')) },
        ], rows, t('fleet.noProblems'), (g) => ({ dataset: { gateway: g.id, condition: g.condition } }))));
    }

    function draw() {
      const counts = countAreas(areas, [...gateways.values()]);
      const scope = current ? subtree(areas, current) : null;
      const inView = [...gateways.values()].filter((g) => !scope || scope.has(g.areaId));
      drawCrumbs();
      drawCards(counts);
      drawChildren(counts);
      drawMap(inView);
      drawProblems(inView);
    }

    // Changes arrive in bursts (a reconnect storm): draw at most every RENDER_EVERY_MS.
    let pending = null;
    const soon = () => { if (!pending) pending = setTimeout(() => { pending = null; draw(); stamp(); }, RENDER_EVERY_MS); };
    ctx.onDispose(() => clearTimeout(pending));
    const stamp = () => { updated.textContent = t('common.updatedAt', { time: timeOnly(new Date().toISOString()) }); };

    async function reload() {
      view = await api.get('/fleet');
      areas = view.areas;
      gateways.clear();
      for (const g of view.gateways) gateways.set(g.id, g);
      if (current && !areas.some((a) => a.id === current)) current = view.area || null;
      soon();
    }

    const setLive = (state) => {
      liveBadge.dataset.state = state;
      liveBadge.textContent = t('fleet.' + state);
    };

    async function follow() {
      while (!abort.signal.aborted) {
        try {
          await api.stream('/fleet/events', {}, async (name, data) => {
            if (name === 'hello') {
              setLive('live');
              await reload();  // whatever changed while no stream was open
            } else if (name === 'gateway') {
              gateways.set(data.id, data);
              soon();
            } else if (name === 'removed') {
              gateways.delete(data.id);
              soon();
            } else if (name === 'resync') {
              await reload();
            }
          }, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error && error.status === 401) return;  // the login page takes over
          show(message, errorBox(error));
        }
        if (abort.signal.aborted) return;
        setLive('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    }

    put(root,
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('fleet.title')), crumbs),
        h('div', { class: 'tools' }, liveBadge, updated)),
      message, cards,
      h('section', { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', {}, t('fleet.map')), resetZoom),
        mapSlot, mapNote,
        h('p', { class: 'legend' }, ...CONDITIONS.map((k) => h('span', { class: 'legend-item cond-' + k }, h('span', { class: 'dot', 'aria-hidden': 'true' }), conditionWord(k))))),
      childSlot, problemSlot);
    draw();
    stamp();
    follow();
  },
};
