// Administration (admins, and operators for their area): users (create; role, area and password;
// disable and enable — the API keeps the last admin and refuses to disable oneself, and its
// sentence is shown), the areas tree (create, rename, move), gateways (move, coordinates, a new
// secret shown once) and the audit log (newest first, by actor, action, target and time).
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, field, busy, localToUTC } from './dom.js';
import { areaSelect, depths } from './targets.js';

const AUDIT_PAGE = 50;
const GATEWAYS_SHOWN = 100;

function usersSection(ctx, areas, areaName) {
  const slot = h('div', { id: 'users-list' });
  const message = h('div', { id: 'users-message' });
  const roles = ctx.me.assignableRoles || [];

  const roleSelect = (selected) => h('select', { name: 'role' }, roles.map((r) => h('option', { value: r, selected: r === selected }, t('role.' + r))));
  const save = async (button, username, body, done) => busy(button, async () => {
    try {
      await api.request('PATCH', `/users/${encodeURIComponent(username)}`, { body });
      show(message, okBox(done));
      await refresh();
    } catch (error) { show(message, errorBox(error)); }
  });

  function editor(user) {
    const role = roleSelect(user.role);
    const area = areaSelect(areas, t('admin.noArea'), user.areaId || '');
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minLength: 8, placeholder: t('admin.unchanged') });
    const form = h('form', { class: 'grid-form user-editor', dataset: { username: user.username } },
      field(t('admin.role'), role), field(t('common.area'), area), field(t('admin.newPassword'), password, t('admin.passwordHint')),
      h('button', { type: 'submit', class: 'primary', 'data-action': 'save' }, t('admin.save')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = {};
      if (role.value !== user.role) body.role = role.value;
      if ((area.value || null) !== (user.areaId || null)) body.areaId = area.value || null;
      if (password.value) body.password = password.value;
      if (!Object.keys(body).length) return show(message, okBox(t('admin.nothingChanged')));
      save(form.querySelector('button'), user.username, body, t('admin.userSaved', { username: user.username }));
    });
    return form;
  }

  async function refresh() {
    const users = await api.all('/users');
    show(slot, table([
      { label: t('admin.username'), cell: (u) => h('strong', {}, u.username) },
      { label: t('admin.role'), cell: (u) => t('role.' + u.role) },
      { label: t('common.area'), cell: (u) => (u.areaId ? areaName(u.areaId) : t('admin.allAreas')) },
      { label: t('admin.state'), cell: (u) => h('span', { class: 'status ' + (u.disabled ? 'cond-offline' : 'cond-online') },
        h('span', { class: 'dot', 'aria-hidden': 'true' }), t(u.disabled ? 'admin.disabled' : 'admin.enabled')) },
      { label: t('admin.created'), cell: (u) => dateTime(u.createdAt) },
      { label: '', class: 'actions', cell: (u) => h('span', { class: 'row' },
        h('button', { type: 'button', 'data-action': 'edit', 'aria-label': `${t('admin.edit')}: ${u.username}`, onclick: (e) => {
          const row = e.currentTarget.closest('tr');
          const open = row.nextElementSibling && row.nextElementSibling.classList.contains('editor-row');
          slot.querySelectorAll('.editor-row').forEach((r) => r.remove());
          if (!open) row.after(h('tr', { class: 'editor-row' }, h('td', { colSpan: 6 }, editor(u))));
        } }, t('admin.edit')),
        u.disabled
          ? h('button', { type: 'button', 'data-action': 'enable', 'aria-label': `${t('admin.enable')}: ${u.username}`, onclick: (e) => save(e.currentTarget, u.username, { disabled: false }, t('admin.userEnabled', { username: u.username })) }, t('admin.enable'))
          : h('button', { type: 'button', class: 'danger', 'data-action': 'disable', 'aria-label': `${t('admin.disable')}: ${u.username}`, onclick: (e) => {
            if (confirm(t('admin.confirmDisable', { username: u.username }))) save(e.currentTarget, u.username, { disabled: true }, t('admin.userDisabled', { username: u.username }));
          } }, t('admin.disable'))) },
    ], users, t('admin.noUsers'), (u) => ({ dataset: { username: u.username }, class: u.disabled ? 'is-offline' : '' })));
  }

  const username = h('input', { name: 'username', required: true, autocomplete: 'off', placeholder: 'phatthanh-xa' });
  const password = h('input', { name: 'password', type: 'password', required: true, minLength: 8, autocomplete: 'new-password' });
  const role = roleSelect(roles.includes('broadcaster') ? 'broadcaster' : roles[0]);
  const area = areaSelect(areas, t('admin.noArea'), ctx.me.areaId || '');
  const create = h('form', { class: 'grid-form', id: 'user-form' },
    field(t('admin.username'), username), field(t('admin.password'), password, t('admin.passwordHint')),
    field(t('admin.role'), role), field(t('common.area'), area),
    h('button', { type: 'submit', class: 'primary' }, t('admin.createUser')));
  create.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(create.querySelector('button'), async () => {
      try {
        await api.post('/users', { username: username.value.trim(), password: password.value, role: role.value, areaId: area.value || null });
        show(message, okBox(t('admin.userCreated', { username: username.value.trim() })));
        create.reset();
        await refresh();
      } catch (error) { show(message, errorBox(error)); }
    });
  });
  return {
    element: h('section', { class: 'card', id: 'admin-users' }, h('h2', {}, t('admin.users')), message, slot,
      h('details', {}, h('summary', {}, t('admin.createUser')), create)),
    load: () => refresh().catch((error) => show(slot, errorBox(error))),
  };
}

function areasSection() {
  const message = h('div', { id: 'areas-message' });
  const slot = h('div', { id: 'areas-list' });

  function draw(areas) {
    const depth = depths(areas);
    const rows = areas.map((a) => {
      const name = h('input', { name: 'name', value: a.name, 'aria-label': t('admin.areaName', { id: a.id }) });
      const parent = areaSelect(areas.filter((p) => p.id !== a.id), t('areas.noParent'), a.parentId || '');
      parent.setAttribute('aria-label', t('admin.areaParent', { id: a.id }));
      const saveButton = h('button', { type: 'button', 'data-action': 'save', 'aria-label': `${t('admin.save')}: ${a.name} (${a.id})`, onclick: (e) => busy(e.currentTarget, async () => {
        const body = {};
        if (name.value.trim() !== a.name) body.name = name.value.trim();
        if ((parent.value || null) !== (a.parentId || null)) body.parentId = parent.value || null;
        if (!Object.keys(body).length) return show(message, okBox(t('admin.nothingChanged')));
        try {
          await api.request('PATCH', `/areas/${encodeURIComponent(a.id)}`, { body });
          show(message, okBox(t('admin.areaSaved', { name: body.name || a.name })));
          await load();  // the tree again (a move changes it); the message stays
        } catch (error) { show(message, errorBox(error)); }
      }) }, t('admin.save'));
      return { a, name, parent, saveButton };
    });
    show(slot, table([
      { label: t('areas.name'), cell: (r) => h('span', { style: `padding-left:${depth.get(r.a.id) * 1.2}em`, class: 'tree-cell' }, r.name) },
      { label: t('areas.kind'), cell: (r) => t('kind.' + r.a.kind) },
      { label: t('areas.id'), cell: (r) => h('code', {}, r.a.id) },
      { label: t('areas.parent'), cell: (r) => r.parent },
      { label: '', cell: (r) => r.saveButton },
    ], rows, t('admin.noAreas'), (r) => ({ dataset: { area: r.a.id } })));
  }
  async function load() {
    try { draw((await api.get('/areas')).items || []); } catch (error) { show(slot, errorBox(error)); }
  }
  return {
    element: h('section', { class: 'card', id: 'admin-areas' }, h('h2', {}, t('admin.areas')),
      h('p', { class: 'hint' }, t('admin.areasHint')), message, slot),
    load,
  };
}

function gatewaysSection(areas, areaName) {
  const message = h('div', { id: 'admin-gateways-message' });
  const slot = h('div', { id: 'admin-gateway-list' });
  const search = h('input', { type: 'search', id: 'admin-gateway-search', placeholder: t('admin.searchGateways') });
  let gateways = [];
  function draw() {
    const q = search.value.trim().toLowerCase();
    const matches = gateways.filter((g) => !q || g.id.includes(q) || g.name.toLowerCase().includes(q));
    const shown = matches.slice(0, GATEWAYS_SHOWN);
    show(slot, h('div', {},
      matches.length > shown.length ? h('p', { class: 'hint' }, t('admin.gatewaysFirst', { shown: shown.length, total: matches.length })) : null,
      table([
        { label: t('gateways.name'), cell: (g) => h('span', {}, h('strong', {}, g.name), h('br'), h('small', {}, g.id)) },
        { label: t('gateways.area'), cell: (g) => g.edit.area },
        { label: t('gateways.latitude'), cell: (g) => g.edit.lat },
        { label: t('gateways.longitude'), cell: (g) => g.edit.lon },
        { label: '', class: 'actions', cell: (g) => h('span', { class: 'row' }, g.edit.save, g.edit.rotate) },
      ], shown, t('gateways.none'), (g) => ({ dataset: { id: g.id } }))));
  }
  function editable(g) {
    const area = areaSelect(areas, t('common.choose'), g.areaId);
    area.setAttribute('aria-label', t('admin.gatewayArea', { name: g.name }));
    const lat = h('input', { type: 'number', step: 'any', min: -90, max: 90, name: 'latitude', value: g.location ? g.location.latitude : '', 'aria-label': t('gateways.latitude') });
    const lon = h('input', { type: 'number', step: 'any', min: -180, max: 180, name: 'longitude', value: g.location ? g.location.longitude : '', 'aria-label': t('gateways.longitude') });
    const save = h('button', { type: 'button', 'data-action': 'save', 'aria-label': `${t('admin.save')}: ${g.name} (${g.id})`, onclick: (e) => busy(e.currentTarget, async () => {
      const body = {};
      if (area.value && area.value !== g.areaId) body.areaId = area.value;
      if (lat.value !== '' && lon.value !== '') body.location = { latitude: Number(lat.value), longitude: Number(lon.value) };
      else if (lat.value === '' && lon.value === '' && g.location) body.location = null;
      try {
        const saved = await api.request('PATCH', `/gateways/${encodeURIComponent(g.id)}`, { body });
        Object.assign(g, saved);
        show(message, okBox(t('admin.gatewaySaved', { name: g.name, area: areaName(saved.areaId) })));
      } catch (error) { show(message, errorBox(error)); }
    }) }, t('admin.save'));
    const rotate = h('button', { type: 'button', class: 'danger', 'data-action': 'rotate', 'aria-label': `${t('admin.rotate')}: ${g.name} (${g.id})`, onclick: (e) => {
      if (!confirm(t('admin.confirmRotate', { name: g.name }))) return;
      busy(e.currentTarget, async () => {
        try {
          const answer = await api.post(`/gateways/${encodeURIComponent(g.id)}/secret`);
          show(message, h('div', { class: 'message ok secret' }, h('strong', {}, t('admin.rotated', { name: g.name })), ' ',
            t('gateways.secretOnce'), h('code', { class: 'secret-value' }, answer.secret)));
        } catch (error) { show(message, errorBox(error)); }
      });
    } }, t('admin.rotate'));
    g.edit = { area, lat, lon, save, rotate };
    return g;
  }
  search.addEventListener('input', draw);
  return {
    element: h('section', { class: 'card', id: 'admin-gateways' }, h('h2', {}, t('admin.gateways')), message,
      field(t('admin.searchGateways'), search), slot),
    load: async () => {
      try {
        gateways = (await api.all('/gateways')).map(editable);
        draw();
      } catch (error) { show(slot, errorBox(error)); }
    },
  };
}

function auditSection() {
  const slot = h('div', { id: 'audit-list' });
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, t('admin.more'));
  const actor = h('input', { name: 'actor', id: 'audit-actor', placeholder: 'admin' });
  const action = h('input', { name: 'action', id: 'audit-action', placeholder: 'user.' });
  const target = h('input', { name: 'target', id: 'audit-target' });
  const from = h('input', { type: 'datetime-local', name: 'from', id: 'audit-from' });
  const to = h('input', { type: 'datetime-local', name: 'to', id: 'audit-to' });
  let rows = [];
  let next = null;
  const columns = [
    { label: t('admin.at'), cell: (e) => dateTime(e.at) },
    { label: t('admin.actor'), cell: (e) => e.actor },
    { label: t('admin.action'), cell: (e) => h('code', {}, e.action) },
    { label: t('admin.target'), cell: (e) => e.target },
    { label: t('admin.address'), cell: (e) => e.address || '–' },
    { label: t('admin.details'), class: 'wrap', cell: (e) => Object.entries(e.details || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '–' },
  ];
  async function load(reset) {
    if (reset) { rows = []; next = null; }
    try {
      const page = await api.get('/audit', {
        order: 'desc', limit: AUDIT_PAGE, before: reset ? undefined : next,
        actor: actor.value.trim(), action: action.value.trim(), target: target.value.trim(),
        from: localToUTC(from.value), to: localToUTC(to.value),
      });
      rows.push(...(page.items || []));
      next = page.next;
      more.hidden = !next;
      show(slot, table(columns, rows, t('admin.noAudit'), (e) => ({ dataset: { sequence: e.sequence } })));
    } catch (error) { show(slot, errorBox(error)); }
  }
  const filters = h('form', { class: 'grid-form', id: 'audit-filters' },
    field(t('admin.actor'), actor), field(t('admin.action'), action, t('admin.actionHint')), field(t('admin.target'), target),
    field(t('admin.from'), from), field(t('admin.to'), to),
    h('button', { type: 'submit', class: 'primary' }, t('admin.filter')));
  filters.addEventListener('submit', (event) => { event.preventDefault(); load(true); });
  more.addEventListener('click', () => load(false));
  return { element: h('section', { class: 'card', id: 'admin-audit' }, h('h2', {}, t('admin.audit')), filters, slot, more), load: () => load(true) };
}

export default {
  async render(root, ctx) {
    const actions = ctx.me.actions || [];
    const areas = (await api.get('/areas')).items || [];
    const areaNames = new Map(areas.map((a) => [a.id, a.name]));
    const areaName = (id) => areaNames.get(id) || id;
    const parts = [];
    if (actions.includes('manageUsers')) parts.push(usersSection(ctx, areas, areaName));
    if (actions.includes('manageAreas')) parts.push(areasSection());
    if (actions.includes('manageGateways')) parts.push(gatewaysSection(areas, areaName));
    if (actions.includes('readAudit')) parts.push(auditSection());
    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('admin.title'))),
      parts.length ? null : h('p', { class: 'empty' }, t('admin.nothing')),
      parts.map((p) => p.element));
    await Promise.all(parts.map((p) => p.load()));
  },
};
