// Live broadcasts: open a live stream for an area from one of four sources — a studio encoder
// pushing MP3 (the source address and key shown once, also as an Icecast mount), a relay of an
// upstream URL, a microphone of the controller, or this browser's microphone (sent as WAV
// segments of 0.5 s in order, with a red on-air panel: time on air, level, Stop) — the streams
// with their source, listeners and a silent upstream's warning, listening in the browser, and Stop.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, timeOnly, bytes, field, busy, duration, keepingFocus } from './dom.js';
import { loadTargets, namer, areaSelect, scopeOf } from './targets.js';
import { supported, openMicrophone, wav, levelMeter } from './microphone.js';

const REFRESH_MS = 5000;
const SOURCES = ['encoder', 'relay', 'device', 'browser'];
/** A browser segment's length: the controller's jitter buffer (live.delay_ms, 2 s) covers several. */
const SEGMENT_SECONDS = 0.5;

/** An http(s) address with something after the scheme; the API checks the rest (hosts allowed …). */
const looksLikeUpstream = (text) => /^https?:\/\/\S+$/i.test(text);

/**
 * What the encoder needs, shown once after creating: the HTTP address, the key, an ffmpeg example,
 * and the same stream as an Icecast mount for butt, darkice or Mixxx. The API does not say which
 * port the Icecast-compatible listener has (`live.icecast_listen`), so the port is named in words.
 */
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
    field(t('live.example'), h('code', { class: 'wrap', id: 'live-source-example' }, example)),
    h('h3', {}, t('live.icecastTitle')),
    h('p', { class: 'hint' }, t('live.icecastHint')),
    h('dl', { class: 'facts', id: 'live-icecast' },
      h('dt', {}, t('live.icecastServer')), h('dd', {}, h('code', {}, location.hostname)),
      h('dt', {}, t('live.icecastPort')), h('dd', { id: 'live-icecast-port' }, t('live.icecastPortValue')),
      h('dt', {}, t('live.icecastMount')), h('dd', {}, h('code', { id: 'live-icecast-mount' }, `/live/${created.id}`)),
      h('dt', {}, t('live.icecastUser')), h('dd', {}, h('code', {}, 'source')),
      h('dt', {}, t('live.icecastPassword')), h('dd', {}, h('code', { id: 'live-icecast-password' }, created.sourceKey))));
}

/** Encoder / relay / microphone radios; the microphone only when the controller has one. */
function sourcePicker(devices) {
  const radios = h('div', { class: 'radios', id: 'live-source-kind', role: 'radiogroup', 'aria-label': t('live.source') },
    SOURCES.map((kind) => h('label', { class: 'check', hidden: (kind === 'device' && devices.length === 0) || (kind === 'browser' && !supported()) },
      h('input', { type: 'radio', name: 'live-source', value: kind, checked: kind === 'encoder' }), ' ', t('live.source.' + kind))));
  const relayUrl = h('input', {
    type: 'url', name: 'relayUrl', id: 'live-relay-url', maxLength: 2000, inputMode: 'url', autocomplete: 'off',
    placeholder: 'https://radio.example.vn/vov1.mp3',
  });
  const device = h('select', { name: 'captureDevice', id: 'live-device' },
    h('option', { value: '' }, t('common.choose')), devices.map((name) => h('option', { value: name }, name)));
  const relayField = field(t('live.relayUrl'), relayUrl, t('live.relayUrlHint'));
  const deviceField = field(t('live.device'), device);
  const browserHint = h('p', { class: 'hint', id: 'live-browser-hint' }, t('live.browserHint'));
  const kind = () => radios.querySelector('input:checked').value;
  const sync = () => {
    relayField.hidden = kind() !== 'relay';
    deviceField.hidden = kind() !== 'device';
    browserHint.hidden = kind() !== 'browser';
  };
  radios.addEventListener('change', sync);
  sync();
  return {
    element: h('div', { class: 'field' }, h('span', { class: 'label' }, t('live.source')), radios,
      h('div', { class: 'row source-detail' }, relayField, deviceField), browserHint),
    kind,
    relayUrl: () => relayUrl.value.trim(),
    device: () => device.value,
  };
}

function form(areas, devices, done, band, goLive) {
  const live = band('live');
  const emergency = band('emergency');
  const area = areaSelect(areas, t('common.choose'));
  area.id = 'live-area';
  area.required = true;
  const title = h('input', { name: 'title', id: 'live-title', maxLength: 200, required: true });
  const priority = h('input', { type: 'number', name: 'priority', id: 'live-priority', min: live.min, max: emergency.max, value: live.default });
  const source = sourcePicker(devices);
  const slot = h('div', { id: 'live-message' });
  const submit = h('button', { type: 'submit', class: 'primary danger', id: 'live-submit' }, t('live.create'));
  const element = h('form', { class: 'card', id: 'live-form', noValidate: true },
    h('h2', {}, t('live.formTitle')),
    h('div', { class: 'row' },
      field(t('common.area'), area),
      field(t('live.streamTitle'), title),
      field(t('schedules.priority'), priority, t('live.priorityHint', { live: live.default, min: live.min, max: live.max, emergency: emergency.min }))),
    source.element,
    slot, submit);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = source.kind();
    const local = !area.value ? 'live.needArea'
      : !title.value.trim() ? 'live.needTitle'
        : kind === 'relay' && !looksLikeUpstream(source.relayUrl()) ? 'live.needRelayUrl'
          : kind === 'device' && !source.device() ? 'live.needDevice' : null;
    if (local) return show(slot, errorBox({ code: 'validation_failed', message: t(local) }));
    const body = { areaId: area.value, title: title.value.trim(), priority: Number(priority.value) };
    if (kind === 'relay') body.relayUrl = source.relayUrl();
    if (kind === 'device') body.captureDevice = source.device();
    busy(submit, async () => {
      try {
        const created = await api.post('/live', body);
        if (kind === 'browser') {
          show(slot, null);
          await goLive(created);
          return await done();
        }
        show(slot, kind === 'encoder' ? h('div', {}, okBox(t('live.created')), sourceBox(created))
          : okBox(kind === 'relay' ? t('live.createdRelay') : t('live.createdDevice', { device: body.captureDevice })));
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return element;
}

/** Where a stream's audio comes from: the relay's upstream, a microphone, someone's browser, or an encoder. */
function sourceCell(s) {
  if (s.relayUrl) return h('span', { class: 'source' }, t('live.from.relay'), ' ', h('code', {}, s.relayUrl));
  if (s.captureDevice) return h('span', { class: 'source' }, t('live.from.device'), ' ', h('code', {}, s.captureDevice));
  if (s.browserSource) return h('span', { class: 'source' }, t('live.from.browser', { user: s.browserSource }));
  return t('live.from.encoder');
}

/** Why a stream ended, in words; a failure's own text (the upstream's or the encoder's) after it. */
function endReason(reason) {
  if (!reason) return '';
  const failed = /^(relay|source) failed: (.*)$/.exec(reason);
  if (failed) return `${t(failed[1] === 'relay' ? 'live.endReason.relayFailed' : 'live.endReason.sourceFailed')} (${failed[2]})`;
  return t('live.endReason.' + reason, {}, reason);
}

function stateCell(s) {
  return h('span', { class: 'badges' },
    h('span', { class: 'badge live-' + s.state }, t('liveState.' + s.state)),
    s.silentSince ? h('span', { class: 'badge silent', title: dateTime(s.silentSince) },
      t('live.silentSince', { time: timeOnly(s.silentSince) })) : null);
}

/**
 * The one player of the page: an <audio> on a stream's listen path (same origin, its listen key
 * in the path, so no token is needed). Closing it, or leaving the page, drops the connection.
 */
function livePlayer() {
  const element = h('div', { class: 'player', id: 'live-player', hidden: true });
  const close = () => {
    const audio = element.querySelector('audio');
    if (audio) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
    }
    element.replaceChildren();
    element.hidden = true;
  };
  const open = (s) => {
    close();
    const note = h('span', { class: 'hint', id: 'live-player-note', role: 'status' });
    const audio = h('audio', { controls: true, id: 'live-player-audio', 'aria-label': t('live.listening', { title: s.title }) });
    audio.addEventListener('error', () => { note.textContent = t('live.listenFailed'); });
    audio.addEventListener('ended', () => { note.textContent = t('live.listenEnded'); });
    audio.src = s.listenPath;
    element.replaceChildren(
      h('span', { id: 'live-player-title' }, t('live.listening', { title: s.title })), audio, note,
      h('button', { type: 'button', 'data-action': 'close', onclick: close }, t('common.close')));
    element.hidden = false;
    audio.play().catch(() => { /* autoplay may be refused; the controls are there */ });
  };
  return { element, open, close };
}

/**
 * Going live from this browser's microphone: the samples are cut into WAV segments of
 * SEGMENT_SECONDS and posted in order (`POST /live/{id}/segments?sequence=N`, one at a time, the
 * next once the last is answered). A red panel says ON AIR with the time on air and the level
 * while the controller takes them. Stop (or leaving the page) ends the stream; a refused segment
 * (stopped elsewhere, the network gone) stops the microphone and says why. Closing the tab sends a
 * last DELETE if the browser lets it; otherwise the controller ends the stream after 5 s without a
 * segment.
 */
function browserBroadcast(onEnded) {
  const panel = h('section', { class: 'onair', id: 'live-onair', hidden: true, 'aria-live': 'polite', 'aria-labelledby': 'live-onair-state' });
  let current = null;

  const open = async (stream) => {
    if (current) await current.stop();
    const meter = levelMeter('live-level');
    const state = h('strong', { class: 'onair-state', id: 'live-onair-state' }, t('live.connecting'));
    const elapsed = h('span', { class: 'elapsed', id: 'live-onair-elapsed', role: 'timer', 'aria-label': t('live.onAirElapsed') }, '0:00');
    const stopButton = h('button', { type: 'button', class: 'danger', id: 'live-onair-stop' }, t('live.stop'));
    const note = h('div', { id: 'live-onair-message' });
    panel.replaceChildren(
      h('div', { class: 'onair-head' }, h('span', { class: 'onair-dot', 'aria-hidden': 'true' }), state,
        h('span', { class: 'onair-title' }, stream.title)),
      h('div', { class: 'buttons' }, h('span', { class: 'meter-box' }, meter.element, elapsed), stopButton), note);
    panel.hidden = false;
    panel.dataset.state = 'connecting';
    panel.dataset.id = String(stream.id);
    let mic = null;
    let rate = 0;
    let pending = [];
    let pendingFrames = 0;
    const queue = [];
    let sending = false;
    let sequence = 0;
    let onAirSince = null;
    let ended = false;
    let timer = null;
    const keepalive = () => {
      // Best effort when the tab goes away: the controller's timeout ends the stream otherwise.
      fetch(`/api/v1/live/${encodeURIComponent(stream.id)}`, { method: 'DELETE', keepalive: true, headers: { Authorization: 'Bearer ' + api.token() } }).catch(() => {});
    };
    const end = async (error, { remove = true } = {}) => {
      if (ended) return;
      ended = true;
      window.removeEventListener('pagehide', keepalive);
      clearInterval(timer);
      if (mic) mic.stop();
      mic = null;
      if (remove) await api.del(`/live/${encodeURIComponent(stream.id)}`).catch(() => {});
      panel.dataset.state = 'ended';
      current = null;
      panel.hidden = true;
      panel.replaceChildren();
      onEnded(error);
    };
    const send = async () => {
      if (sending) return;
      sending = true;
      while (queue.length && !ended) {
        const segment = queue.shift();
        try {
          const answer = await api.request('POST', `/live/${encodeURIComponent(stream.id)}/segments`,
            { query: { sequence }, body: segment, headers: { 'Content-Type': 'audio/wav' } });
          sequence += 1;
          if (!onAirSince && answer && answer.state === 'on-air') {
            onAirSince = Date.now();
            state.textContent = t('live.onAir');
            panel.dataset.state = 'on-air';
          }
        } catch (error) {
          await end(error, { remove: error.status !== 410 });
        }
      }
      sending = false;
    };
    stopButton.addEventListener('click', () => busy(stopButton, () => end(null)));
    current = { stop: () => end(null) };
    try {
      mic = await openMicrophone({
        onBlock: (block) => {
          if (ended) return;
          pending.push(block);
          pendingFrames += block.length;
          if (pendingFrames >= rate * SEGMENT_SECONDS) {
            queue.push(wav(pending, rate));
            pending = [];
            pendingFrames = 0;
            send();
          }
        },
        onLevel: meter.set,
      });
    } catch (error) {
      await end(error);
      return;
    }
    rate = mic.rate;
    window.addEventListener('pagehide', keepalive);
    timer = setInterval(() => { if (onAirSince) elapsed.textContent = duration(Date.now() - onAirSince); }, 250);
    stopButton.focus();
  };
  return { element: panel, open, stop: () => (current ? current.stop() : Promise.resolve()) };
}

export default {
  async render(root, ctx) {
    const [targets, devices] = await Promise.all([
      loadTargets(),
      // The microphone choice is offered only when the controller lists one.
      ctx.can('announce') ? api.get('/live/devices').then((answer) => answer.items || [], () => []) : [],
    ]);
    const names = namer(targets);
    const scope = scopeOf(ctx.me, targets);
    const message = h('div', {});
    const listSlot = h('div', { id: 'live-list' });
    const player = livePlayer();
    ctx.onDispose(player.close);
    const broadcast = browserBroadcast((error) => {
      show(message, error ? errorBox(error) : okBox(t('live.browserEnded')));
      refresh().catch(() => {});
    });
    ctx.onDispose(broadcast.stop);

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

    const actions = (s) => (s.state === 'ended' ? '' : h('span', { class: 'actions' },
      s.listenPath ? h('button', { type: 'button', 'data-action': 'listen', 'aria-label': `${t('live.listen')}: ${s.title}`, onclick: () => player.open(s) }, t('live.listen')) : null,
      // A stream of an area above the user's is theirs to hear, not to stop (the API says 403).
      ctx.can('announce') && scope.covers(s.areaId)
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'stop', 'aria-label': `${t('live.stop')}: ${s.title}`, onclick: (e) => stop(s, e.currentTarget) }, t('live.stop')) : null));

    const columns = [
      { label: t('live.streamTitle'), cell: (s) => h('strong', {}, s.title) },
      { label: t('common.area'), cell: (s) => names.area(s.areaId) },
      { label: t('live.sourceColumn'), class: 'wrap', cell: sourceCell },
      { label: t('schedules.priority'), class: 'num', cell: (s) => String(s.priority) },
      { label: t('announce.state'), cell: stateCell },
      { label: t('live.started'), cell: (s) => (s.startedAt ? dateTime(s.startedAt) : '–') },
      { label: t('live.ended'), class: 'wrap', cell: (s) => (s.endedAt ? `${dateTime(s.endedAt)} · ${endReason(s.endReason)}` : '–') },
      { label: t('live.gateways'), class: 'num', cell: (s) => String(s.gateways) },
      { label: t('live.listeners'), class: 'num', cell: (s) => String(s.listeners ?? 0) },
      { label: t('live.received'), class: 'num', cell: (s) => bytes(s.bytesReceived) },
      { label: t('schedules.createdBy'), cell: (s) => s.createdBy || '–' },
      { label: '', cell: actions },
    ];

    async function refresh() {
      const page = await api.get('/live', { limit: 50 });
      keepingFocus(listSlot, () => show(listSlot, table(columns, page.items || [], t('live.none'), (s) => ({ dataset: { id: String(s.id), state: s.state } }))));
    }

    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('live.title'))),
      broadcast.element,
      ctx.can('announce') ? form(targets.areas, devices, refresh, ctx.band, broadcast.open) : h('p', { class: 'hint' }, t('live.noRole')),
      message, h('h2', {}, t('live.listTitle')), player.element, listSlot);
    await refresh();
    const timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
    ctx.onDispose(() => clearInterval(timer));
  },
};
