// Bulletins: upload a WAV or MP3 (with progress; the API's refusal shown plainly), record one from
// the browser's microphone (a level meter while recording, listened back, uploaded as WAV), or type
// a text the controller speaks (heard before saving), the list with
// its state, listening in the browser, approve and archive (operators), and "schedule this".
import * as api from './api.js';
import { t } from './i18n.js';
import { h, put, table, errorBox, okBox, show, dateTime, duration, bytes, number, field, busy } from './dom.js';
import { supported, openMicrophone, wav, levelMeter } from './microphone.js';

/** The longest recording: 10 minutes of 16-bit mono at 48 kHz is 55 MiB, under the upload limit. */
const RECORD_MAX_SECONDS = 600;

/** The Content-Type the API expects for a file, from its name (browsers disagree on WAV's type). */
function contentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.mp3')) return 'audio/mpeg';
  if (name.endsWith('.wav') || name.endsWith('.wave')) return 'audio/wav';
  return 'application/octet-stream';
}

function stateBadge(state) {
  return h('span', { class: `badge state-${state}` }, t('state.' + state));
}

/** Typed text spoken by the controller (eSpeak NG): hear it, then save it as a bulletin. */
function speechCard(done) {
  const text = h('textarea', { name: 'text', id: 'speech-text', rows: 5, maxLength: 3000, placeholder: t('speech.placeholder') });
  const title = h('input', { name: 'title', id: 'speech-title', maxLength: 200, placeholder: t('speech.titlePlaceholder') });
  const voice = h('select', { name: 'voice', id: 'speech-voice' },
    ['vi', 'vi-vn-x-central', 'vi-vn-x-south'].map((v) => h('option', { value: v }, t('speech.voice.' + v))));
  const rate = h('input', { type: 'number', name: 'rate', id: 'speech-rate', min: 80, max: 300, value: 140 });
  const count = h('span', { class: 'hint', id: 'speech-count' }, '0 / 3000');
  const audio = h('audio', { controls: true, id: 'speech-audio', hidden: true });
  const slot = h('div', { id: 'speech-message' });
  const preview = h('button', { type: 'button', id: 'speech-preview' }, t('speech.preview'));
  const save = h('button', { type: 'submit', class: 'primary', id: 'speech-save' }, t('speech.save'));
  text.addEventListener('input', () => { count.textContent = `${text.value.length} / 3000`; });
  const body = () => {
    const b = { text: text.value, voice: voice.value, rate: Number(rate.value) };
    if (title.value.trim()) b.title = title.value.trim();
    return b;
  };
  preview.addEventListener('click', () => busy(preview, async () => {
    try {
      const wav = await api.request('POST', '/bulletins/speech/preview', { body: body(), as: 'blob', headers: { Accept: 'audio/wav' } });
      if (audio.src) URL.revokeObjectURL(audio.src);
      audio.src = URL.createObjectURL(wav);
      audio.hidden = false;
      audio.play().catch(() => {});
      show(slot, null);
    } catch (error) { show(slot, errorBox(error)); }
  }));
  const form = h('form', { class: 'card', id: 'speech-form' },
    h('h2', {}, t('speech.title')), h('p', { class: 'hint' }, t('speech.hint')),
    field(t('speech.text'), text), count,
    h('div', { class: 'row' }, field(t('bulletins.titleLabel'), title), field(t('speech.voice'), voice), field(t('speech.rate'), rate)),
    h('div', { class: 'buttons' }, preview, save), audio, slot);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(save, async () => {
      try {
        const b = await api.post('/bulletins/speech', body());
        show(slot, okBox(t('speech.saved', { title: b.title, duration: duration(b.durationMs) })));
        text.value = '';
        title.value = '';
        count.textContent = '0 / 3000';
        await done();
      } catch (error) { show(slot, errorBox(error)); }
    });
  });
  return form;
}

/** The upload card: title, file, progress; calls `done()` after a success. */
function uploadCard(done) {
  const title = h('input', { name: 'title', id: 'upload-title', maxLength: 200, placeholder: t('bulletins.titlePlaceholder') });
  const file = h('input', { type: 'file', name: 'file', id: 'upload-file', accept: '.wav,.mp3,audio/wav,audio/x-wav,audio/mpeg' });
  const progress = h('progress', { max: 1, value: 0, hidden: true, id: 'upload-progress' });
  const slot = h('div', { id: 'upload-message' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upload-submit' }, t('bulletins.upload'));
  file.addEventListener('change', () => {
    if (file.files[0] && !title.value.trim()) title.value = file.files[0].name.replace(/\.[^.]+$/, '');
  });
  const form = h('form', { class: 'card', id: 'upload-form' },
    h('h2', {}, t('bulletins.uploadTitle')),
    h('p', { class: 'hint' }, t('bulletins.uploadHint')),
    h('div', { class: 'row' }, field(t('bulletins.file'), file), field(t('bulletins.titleLabel'), title)),
    progress, slot, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return show(slot, errorBox({ code: 'validation_failed', message: t('bulletins.chooseFile') }));
    busy(submit, async () => {
      progress.hidden = false;
      progress.value = 0;
      show(slot, okBox(t('bulletins.uploading')));
      try {
        const answer = await api.upload('/bulletins', { title: title.value.trim() || chosen.name }, chosen,
          contentType(chosen), (fraction) => { progress.value = fraction; });
        progress.value = 1;
        const b = answer.body;
        show(slot, okBox(t(answer.status === 200 ? 'bulletins.alreadyStored' : 'bulletins.uploaded',
          { title: b.title, duration: duration(b.durationMs) })));
        form.reset();
        await done();
      } catch (error) {
        show(slot, errorBox(error));
      } finally {
        progress.hidden = true;
      }
    });
  });
  return form;
}

/**
 * Recording from the browser's microphone: Start shows the level and the time; Stop builds a WAV
 * (16-bit PCM at the microphone's rate) to listen back to; Upload sends it like a chosen file,
 * Discard throws it away. Returns the card and a `stop` for leaving the page.
 */
function recordCard(done) {
  const title = h('input', { name: 'title', id: 'record-title', maxLength: 200, placeholder: t('record.titlePlaceholder') });
  const start = h('button', { type: 'button', class: 'primary', id: 'record-start' }, t('record.start'));
  const stop = h('button', { type: 'button', id: 'record-stop', disabled: true }, t('record.stop'));
  const upload = h('button', { type: 'button', class: 'primary', id: 'record-upload', hidden: true }, t('record.upload'));
  const discard = h('button', { type: 'button', id: 'record-discard', hidden: true }, t('record.discard'));
  const meter = levelMeter('record-level');
  const elapsed = h('span', { class: 'elapsed', id: 'record-elapsed', role: 'timer', 'aria-label': t('record.elapsed') }, '0:00');
  const state = h('span', { class: 'hint', id: 'record-state', role: 'status' });
  const audio = h('audio', { controls: true, id: 'record-audio', hidden: true, 'aria-label': t('record.listenBack') });
  const progress = h('progress', { max: 1, value: 0, hidden: true, id: 'record-progress' });
  const slot = h('div', { id: 'record-message' });
  let mic = null;
  let blocks = [];
  let frames = 0;
  let rate = 0;
  let timer = null;
  let recording = null;
  const clearRecording = () => {
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.removeAttribute('src');
    audio.hidden = true;
    upload.hidden = true;
    discard.hidden = true;
    recording = null;
  };
  const finish = () => {
    if (!mic) return;
    mic.stop();
    mic = null;
    clearInterval(timer);
    start.disabled = false;
    stop.disabled = true;
    state.textContent = '';
    meter.reset();
    if (!frames) return show(slot, errorBox({ code: 'validation_failed', message: t('record.empty') }));
    recording = wav(blocks, rate);
    blocks = [];
    audio.src = URL.createObjectURL(recording);
    audio.hidden = false;
    upload.hidden = false;
    discard.hidden = false;
    show(slot, okBox(t('record.ready', { duration: duration((frames / rate) * 1000) })));
    upload.focus();
  };
  start.addEventListener('click', () => busy(start, async () => {
    clearRecording();
    show(slot, null);
    blocks = [];
    frames = 0;
    try {
      mic = await openMicrophone({
        onBlock: (block) => {
          blocks.push(block);
          frames += block.length;
          if (frames >= rate * RECORD_MAX_SECONDS) {
            finish();
            show(slot, okBox(t('record.limit', { minutes: RECORD_MAX_SECONDS / 60 })));
          }
        },
        onLevel: meter.set,
      });
    } catch (error) {
      return show(slot, errorBox(error));
    }
    rate = mic.rate;
    elapsed.textContent = '0:00';
    timer = setInterval(() => { elapsed.textContent = duration((frames / rate) * 1000); }, 250);
    state.textContent = t('record.recording');
    stop.disabled = false;
    stop.focus();
  }).finally(() => { start.disabled = Boolean(mic); }));
  stop.addEventListener('click', finish);
  discard.addEventListener('click', () => {
    clearRecording();
    show(slot, null);
    start.focus();
  });
  upload.addEventListener('click', () => busy(upload, async () => {
    if (!recording) return;
    progress.hidden = false;
    progress.value = 0;
    show(slot, okBox(t('bulletins.uploading')));
    try {
      const fallback = t('record.defaultTitle', { time: dateTime(new Date().toISOString()) });
      const answer = await api.upload('/bulletins', { title: title.value.trim() || fallback }, recording, 'audio/wav',
        (fraction) => { progress.value = fraction; });
      const b = answer.body;
      show(slot, okBox(t(answer.status === 200 ? 'bulletins.alreadyStored' : 'bulletins.uploaded',
        { title: b.title, duration: duration(b.durationMs) })));
      clearRecording();
      title.value = '';
      await done();
    } catch (error) {
      show(slot, errorBox(error));
    } finally {
      progress.hidden = true;
    }
  }));
  const element = h('section', { class: 'card', id: 'record-card', 'aria-labelledby': 'record-heading' },
    h('h2', { id: 'record-heading' }, t('record.title')),
    h('p', { class: 'hint' }, supported() ? t('record.hint') : t('record.unsupported')),
    field(t('bulletins.titleLabel'), title),
    h('div', { class: 'buttons recorder' }, start, stop, h('span', { class: 'meter-box' }, meter.element, elapsed), state),
    audio, h('div', { class: 'buttons' }, upload, discard), progress, slot);
  if (!supported()) start.disabled = true;
  return { element, stop: () => { if (mic) { mic.stop(); mic = null; clearInterval(timer); } clearRecording(); } };
}

export default {
  async render(root, ctx) {
    let stateFilter = ctx.params.state || '';
    let objectURL = null;
    const listSlot = h('div', { id: 'bulletin-list' });
    const message = h('div', { id: 'bulletin-message' });
    const player = h('div', { class: 'player', id: 'player', hidden: true });
    ctx.onDispose(() => { if (objectURL) URL.revokeObjectURL(objectURL); });
    const recorder = ctx.can('bulletin.upload') ? recordCard(() => refresh()) : null;
    if (recorder) ctx.onDispose(recorder.stop);

    const listen = (b, button) => busy(button, async () => {
      try {
        // <audio src> cannot send the bearer token, so the audio is fetched and played from a blob.
        const blob = await api.get(`/bulletins/${b.sha256}/audio`, undefined, 'blob');
        if (objectURL) URL.revokeObjectURL(objectURL);
        objectURL = URL.createObjectURL(blob);
        const audio = h('audio', { controls: true, src: objectURL, id: 'player-audio', 'aria-label': t('bulletins.listening', { title: b.title }) });
        player.replaceChildren(h('span', {}, t('bulletins.listening', { title: b.title })), audio);
        player.hidden = false;
        audio.play().catch(() => { /* autoplay may be refused; the controls are there */ });
      } catch (error) { show(message, errorBox(error)); }
    });

    const act = (b, verb, button) => busy(button, async () => {
      try {
        const answer = await api.post(`/bulletins/${b.sha256}/${verb}`);
        show(message, okBox(t(`bulletins.${verb}d`, { title: answer.title })));
        await refresh();
      } catch (error) { show(message, errorBox(error)); }
    });

    const actions = (b) => h('span', { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'listen', 'aria-label': `${t('bulletins.listen')}: ${b.title}`, onclick: (e) => listen(b, e.currentTarget) }, t('bulletins.listen')),
      ctx.can('bulletin.approve') && b.state === 'draft'
        ? h('button', { type: 'button', class: 'primary', 'data-action': 'approve', 'aria-label': `${t('bulletins.approve')}: ${b.title}`, onclick: (e) => act(b, 'approve', e.currentTarget) }, t('bulletins.approve')) : null,
      // A draft only where the API takes a draft's schedule from this user (GET /me says).
      ctx.can('schedule.edit') && (b.state === 'approved' || (b.state === 'draft' && ctx.me.schedulesDrafts !== false))
        ? h('button', { type: 'button', 'data-action': 'schedule', 'aria-label': `${t('bulletins.schedule')}: ${b.title}`, onclick: () => ctx.navigate('schedules', { bulletin: b.sha256 }) }, t('bulletins.schedule')) : null,
      ctx.can('bulletin.approve') && b.state !== 'archived'
        ? h('button', { type: 'button', class: 'danger', 'data-action': 'archive', 'aria-label': `${t('bulletins.archive')}: ${b.title}`,
          onclick: (e) => { if (confirm(t('bulletins.confirmArchive', { title: b.title }))) act(b, 'archive', e.currentTarget); } }, t('bulletins.archive')) : null);

    const columns = [
      { label: t('bulletins.titleLabel'), cell: (b) => h('span', { title: b.sha256 }, h('strong', {}, b.title), h('br'), h('small', {}, b.sha256.slice(0, 12))) },
      { label: t('bulletins.duration'), class: 'num', cell: (b) => duration(b.durationMs) },
      { label: t('bulletins.loudness'), class: 'num', cell: (b) => b.loudnessLufs === undefined || b.loudnessLufs === null ? '–' : `${number(b.loudnessLufs, 1)} LUFS` },
      { label: t('bulletins.size'), class: 'num', cell: (b) => bytes(b.byteSize) },
      { label: t('bulletins.state'), cell: (b) => stateBadge(b.state) },
      { label: t('bulletins.createdBy'), cell: (b) => h('span', {}, b.createdBy || '–', h('br'), h('small', {}, dateTime(b.createdAt))) },
      { label: t('bulletins.approvedBy'), cell: (b) => b.approvedBy ? h('span', {}, b.approvedBy, h('br'), h('small', {}, dateTime(b.approvedAt))) : '–' },
      { label: '', cell: actions },
    ];

    async function refresh() {
      const items = await api.all('/bulletins', { state: stateFilter });
      show(listSlot, table(columns, items, t('bulletins.none'), (b) => ({ dataset: { sha: b.sha256, state: b.state } })));
    }

    const filter = h('select', { name: 'state', id: 'bulletin-state-filter' },
      ['', 'draft', 'approved', 'archived'].map((s) => h('option', { value: s, selected: s === stateFilter }, s ? t('state.' + s) : t('common.all'))));
    filter.addEventListener('change', async () => {
      stateFilter = filter.value;
      try { await refresh(); } catch (error) { show(message, errorBox(error)); }
    });

    put(root,
      h('div', { class: 'page-head' }, h('h1', {}, t('bulletins.title')),
        h('div', { class: 'tools' }, field(t('bulletins.state'), filter))),
      ctx.can('bulletin.upload') ? uploadCard(refresh) : null,
      recorder ? recorder.element : null,
      ctx.can('bulletin.upload') ? speechCard(refresh) : null,
      message, player, listSlot);
    await refresh();
  },
};
