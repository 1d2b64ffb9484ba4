// The browser's microphone, shared by recording a bulletin (bulletins.js) and going live
// (live.js): getUserMedia with the browser's voice processing off (echo cancellation, noise
// suppression, automatic gain), so what is sent is what the microphone gave; the samples taken by
// an AudioWorklet (capture-worklet.js) as mono blocks at the audio context's rate; a level meter;
// and 16-bit PCM WAV built here, which the controller takes as an upload or a live segment and
// encodes itself (loudness, MP3). getUserMedia needs a secure context: https, or the controller
// opened on 127.0.0.1 / localhost.
import { h } from './dom.js';
import { t } from './i18n.js';

/** True where this page may use a microphone at all. */
export function supported() {
  return Boolean(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia
    && window.AudioContext && window.AudioWorkletNode);
}

/** Peak and RMS of a block, linear (0…1). */
export function level(samples) {
  let peak = 0;
  let sum = 0;
  for (const s of samples) {
    const a = Math.abs(s);
    if (a > peak) peak = a;
    sum += s * s;
  }
  return { peak, rms: samples.length ? Math.sqrt(sum / samples.length) : 0 };
}

/**
 * Opens the microphone. `onBlock(samples)` gets each block of mono Float32 samples, in order,
 * at `rate`; `onLevel({peak, rms})` about ten times a second. Resolves to `{ rate, stop() }`;
 * rejects when the person refuses the microphone or the page has none (the error's `code` is
 * 'microphone', its message the browser's).
 */
export async function openMicrophone({ onBlock, onLevel = () => {} }) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
      video: false,
    });
  } catch (error) {
    throw Object.assign(new Error(`${error.name || 'Error'}: ${error.message || error}`), { code: 'microphone' });
  }
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule('/console/capture-worklet.js');
    const source = context.createMediaStreamSource(stream);
    const capture = new AudioWorkletNode(context, 'loa-capture', { numberOfInputs: 1, numberOfOutputs: 1 });
    let peak = 0;
    let squares = 0;
    let counted = 0;
    const every = Math.round(context.sampleRate / 10);
    capture.port.onmessage = (event) => {
      const block = event.data;
      onBlock(block);
      const { peak: p, rms } = level(block);
      peak = Math.max(peak, p);
      squares += rms * rms * block.length;
      counted += block.length;
      if (counted >= every) {
        onLevel({ peak, rms: Math.sqrt(squares / counted) });
        peak = 0;
        squares = 0;
        counted = 0;
      }
    };
    source.connect(capture);
    // The worklet writes nothing to its output; connected so the graph keeps pulling it.
    capture.connect(context.destination);
    await context.resume();
    return {
      rate: context.sampleRate,
      stop() {
        capture.port.postMessage('stop');
        capture.port.onmessage = null;
        source.disconnect();
        capture.disconnect();
        for (const track of stream.getTracks()) track.stop();
        context.close().catch(() => {});
      },
    };
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    context.close().catch(() => {});
    throw Object.assign(new Error(String(error.message || error)), { code: 'microphone' });
  }
}

/** Mono Float32 blocks at `rate` → a 16-bit PCM WAV Blob. */
export function wav(blocks, rate) {
  const frames = blocks.reduce((n, block) => n + block.length, 0);
  const buffer = new ArrayBuffer(44 + frames * 2);
  const view = new DataView(buffer);
  const ascii = (offset, text) => { for (let i = 0; i < text.length; i += 1) view.setUint8(offset + i, text.charCodeAt(i)); };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + frames * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);  // PCM
  view.setUint16(22, 1, true);  // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, frames * 2, true);
  let offset = 44;
  for (const block of blocks) {
    for (const sample of block) {
      const s = Math.max(-1, Math.min(1, sample));
      view.setInt16(offset, Math.round(s < 0 ? s * 32768 : s * 32767), true);
      offset += 2;
    }
  }
  return new Blob([buffer], { type: 'audio/wav' });
}

/** dBFS of a linear level, floored at −60. */
export function dbfs(value) {
  return Math.max(-60, 20 * Math.log10(Math.max(value, 1e-6)));
}

/**
 * A level meter: a <meter> of the RMS in dBFS (−60…0) with the peak written beside it. The
 * meter carries the label for assistive technology; the text is for the eye.
 */
export function levelMeter(id) {
  const meter = h('meter', { id, min: -60, max: 0, low: -40, high: -6, optimum: -20, value: -60, 'aria-label': t('mic.level') });
  const text = h('span', { class: 'level-text', id: `${id}-text` }, '–');
  return {
    element: h('span', { class: 'level' }, meter, text),
    set({ peak, rms }) {
      meter.value = dbfs(rms);
      text.textContent = t('mic.levelText', { rms: Math.round(dbfs(rms)), peak: Math.round(dbfs(peak)) });
      meter.dataset.peak = String(peak);
    },
    reset() {
      meter.value = -60;
      text.textContent = '–';
    },
  };
}
