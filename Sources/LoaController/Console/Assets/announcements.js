// Announcements: push an approved bulletin now (or at a set time) to areas or gateways with a
// priority and an expiry; the recent ones with their state, and Stop.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, duration, localToUTC, field, busy } from './dom.js';
import { loadTargets, namer, targetPicker, scopeOf } from './targets.js';

function stateOf(a, now = Date.now()) {
  if (a.stoppedAt) return 'stopped';
  if (a.expiresAt && new Date(a.expiresAt).getTime() <= now) return 'expired';
  if (a.startAt && new Date(a.startAt).getTime() > now) return 'pending';
  return 'active';
}

function form(targets, bulletins, done, band) {
  const announcement = band('announcement');
  const emergency = band('emergency');
  const bulletin = h('select', { name: 'bulletin', id: 'announce-bulletin', required: true },
    h('option', { value: '' }, t('common.choose')),
    bulletins.map((b) => h('option', { value: b.sha256 }, `${b.title} (${duration(b.durationMs)})`)));
  const picker = targetPicker(targets, 'announce');
  const priority = h('input', { type: 'number', name: 'priority', id: 'announce-priority', min: 0, max: 255, value: announcement.default });
  const expires = h('input', { type: 'number', name: 'expires', id: 'announce-expires', min: 1, max: 1440, value: 60 });
  const startAt = h('input', { type: 'datetime-local', name: 'startAt', id: 'announce-start' });
  const slot = h('div', { id: 'announce-message' });
  const submit = h('button', { type: 'submit', class: 'primary danger', id: 'announce-submit' }, t('announce.push'));
  const element = h('form', { class: 'card', id: 'announce-form', noValidate: true },
    h('h2', {}, t('announce.formTitle')),
    field(t('schedules.bulletin'), bulletin, bulletins.length ? t('announce.onlyApproved') : t('announce.noApproved')),
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('schedules.where')), picker.element),
    h('div', { class: 'row' },
      field(t('schedules.priority'), priority, t('announce.priorityHint', { announcement: announcement.default, emergency: emergency.default, scheduled: band('scheduled').default })),
      field(t('announce.expires'), expires),
      field(t('announce.startAt'), startAt, t('announce.startHint'))),
    slot, submit);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const where = picker.value();
    if (!bulletin.value) return show(slot, errorBox({ code: 'validation_failed', message: t('schedules.needBulletin') }));
    if (where.areas.length + where.gateways.length === 0) {
      return show(slot, errorBox({ code: 'validation_failed', message: t('schedules.needTarget') }));
    }
    if (!confirm(t('announce.confirm'))) return;
    const body = {
      bulletin: bulletin.value, areas: where.areas, gateways: where.gateways,
      priority: Number(priority.value), expiresInSeconds: Math.round(Number(expires.value) * 60),
    };
    const start = localToUTC(startAt.value);
    if (start) body.startAt = start;
    busy(submit, async () => {
      try {
        await api.post('/announcements', body);
        show(slot, okBox(t('announce.pushed')));
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return element;
}

export default {
  async render(root, ctx) {
    const [targets, bulletins] = await Promise.all([loadTargets(), api.all('/bulletins', { state: 'approved' })]);
    const names = namer(targets);
    const scope = scopeOf(ctx.me, targets);
    const titles = new Map(bulletins.map((b) => [b.sha256, b.title]));
    const message = h('div', {});
    const listSlot = h('div', { id: 'announce-list' });

    const stop = (a, button) => {
      if (!confirm(t('announce.confirmStop'))) return;
      busy(button, async () => {
        try {
          await api.post(`/announcements/${encodeURIComponent(a.id)}/stop`);
          show(message, okBox(t('announce.stopped')));
          await refresh();
        } catch (error) { show(message, errorBox(error)); }
      });
    };

    const columns = [
      { label: t('schedules.bulletin'), cell: (a) => h('strong', {}, titles.get(a.bulletin) || a.bulletin.slice(0, 12)) },
      { label: t('schedules.where'), class: 'wrap', cell: (a) => names.targets(a.areas, a.gateways) },
      { label: t('schedules.priority'), class: 'num', cell: (a) => String(a.priority) },
      { label: t('announce.startAt'), cell: (a) => dateTime(a.startAt) },
      { label: t('announce.expiresAt'), cell: (a) => dateTime(a.expiresAt) },
      { label: t('announce.state'), cell: (a) => h('span', { class: 'badge ann-' + stateOf(a) }, t('annState.' + stateOf(a))) },
      { label: t('schedules.createdBy'), cell: (a) => a.createdBy || '–' },
      // One sent to areas above the user's plays here too, but only its sender's level may stop it.
      { label: '', cell: (a) => ctx.can('announce') && ['active', 'pending'].includes(stateOf(a)) && scope.coversTargets(a.areas, a.gateways)
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'stop', 'aria-label': `${t('announce.stop')}: ${titles.get(a.bulletin) || a.bulletin.slice(0, 12)}`, onclick: (e) => stop(a, e.currentTarget) }, t('announce.stop')) : '' },
    ];

    async function refresh() {
      const page = await api.get('/announcements', { limit: 50 });
      show(listSlot, table(columns, page.items || [], t('announce.none'), (a) => ({ dataset: { id: a.id } })));
    }

    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('announce.title'))),
      ctx.can('announce') ? form(targets, bulletins, refresh, ctx.band) : h('p', { class: 'hint' }, t('announce.noRole')),
      message, h('h2', {}, t('announce.listTitle')), listSlot);
    await refresh();
  },
};
