// Live broadcasts: open a live stream for an area (the studio encoder then pushes MP3 to the
// source address with the key shown once), the streams with their state, and Stop.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, bytes, field, busy } from './dom.js';
import { loadTargets, namer, areaSelect } from './targets.js';

const REFRESH_MS = 5000;

/** What the encoder needs, shown once after creating: address, key, an ffmpeg example. */
function sourceBox(created) {
  const url = new URL(created.sourcePath, location.origin);
  const withKey = new URL(url);
  withKey.username = 'source';
  withKey.password = created.sourceKey;
  const example = `ffmpeg -re -i micro.wav -c:a libmp3lame -b:a 64k -f mp3 -method PUT -auth_type basic '${withKey.href}'`;
  return h('div', { class: 'card', id: 'live-source' },
    h('h2', {}, t('live.sourceTitle')),
    h('p', { class: 'hint' }, t('live.sourceHint')),
    field(t('live.sourceUrl'), h('code', { id: 'live-source-url' }, url.href)),
    field(t('live.sourceKey'), h('code', { id: 'live-source-key' }, created.sourceKey), t('live.keyOnce')),
    field(t('live.example'), h('code', { class: 'wrap', id: 'live-source-example' }, example)));
}

function form(areas, done, band) {
  const live = band('live');
  const emergency = band('emergency');
  const area = areaSelect(areas, t('common.choose'));
  area.id = 'live-area';
  area.required = true;
  const title = h('input', { name: 'title', id: 'live-title', maxLength: 200, required: true });
  const priority = h('input', { type: 'number', name: 'priority', id: 'live-priority', min: live.min, max: emergency.max, value: live.default });
  const slot = h('div', { id: 'live-message' });
  const submit = h('button', { type: 'submit', class: 'primary danger', id: 'live-submit' }, t('live.create'));
  const element = h('form', { class: 'card', id: 'live-form', noValidate: true },
    h('h2', {}, t('live.formTitle')),
    h('div', { class: 'row' },
      field(t('common.area'), area),
      field(t('live.streamTitle'), title),
      field(t('schedules.priority'), priority, t('live.priorityHint', { live: live.default, min: live.min, max: live.max, emergency: emergency.min }))),
    slot, submit);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!area.value) return show(slot, errorBox({ code: 'validation_failed', message: t('live.needArea') }));
    if (!title.value.trim()) return show(slot, errorBox({ code: 'validation_failed', message: t('live.needTitle') }));
    busy(submit, async () => {
      try {
        const created = await api.post('/live', { areaId: area.value, title: title.value.trim(), priority: Number(priority.value) });
        show(slot, h('div', {}, okBox(t('live.created')), sourceBox(created)));
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return element;
}

export default {
  async render(root, ctx) {
    const targets = await loadTargets();
    const names = namer(targets);
    const message = h('div', {});
    const listSlot = h('div', { id: 'live-list' });

    const stop = (s, button) => {
      if (!confirm(t('live.confirmStop'))) return;
      busy(button, async () => {
        try {
          await api.del(`/live/${encodeURIComponent(s.id)}`);
          show(message, okBox(t('live.stopped')));
          await refresh();
        } catch (error) { show(message, errorBox(error)); }
      });
    };

    const columns = [
      { label: t('live.streamTitle'), cell: (s) => h('strong', {}, s.title) },
      { label: t('common.area'), cell: (s) => names.area(s.areaId) },
      { label: t('schedules.priority'), class: 'num', cell: (s) => String(s.priority) },
      { label: t('announce.state'), cell: (s) => h('span', { class: 'badge live-' + s.state }, t('liveState.' + s.state)) },
      { label: t('live.started'), cell: (s) => (s.startedAt ? dateTime(s.startedAt) : '–') },
      { label: t('live.ended'), class: 'wrap', cell: (s) => (s.endedAt ? `${dateTime(s.endedAt)} · ${s.endReason || ''}` : '–') },
      { label: t('live.gateways'), class: 'num', cell: (s) => String(s.gateways) },
      { label: t('live.received'), class: 'num', cell: (s) => bytes(s.bytesReceived) },
      { label: t('schedules.createdBy'), cell: (s) => s.createdBy || '–' },
      { label: '', cell: (s) => ctx.can('announce') && s.state !== 'ended'
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'stop', onclick: (e) => stop(s, e.currentTarget) }, t('live.stop')) : '' },
    ];

    async function refresh() {
      const page = await api.get('/live', { limit: 50 });
      show(listSlot, table(columns, page.items || [], t('live.none'), (s) => ({ dataset: { id: String(s.id), state: s.state } })));
    }

    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('live.title'))),
      ctx.can('announce') ? form(targets.areas, refresh, ctx.band) : h('p', { class: 'hint' }, t('live.noRole')),
      message, h('h2', {}, t('live.listTitle')), listSlot);
    await refresh();
    const timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};
