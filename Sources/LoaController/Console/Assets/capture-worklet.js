// The audio thread's side of the microphone (microphone.js): takes the input's channels, mixes
// them to mono and hands the samples to the page in blocks of 2048 frames (about 43 ms at
// 48 kHz), transferred rather than copied. It outputs nothing.
const BLOCK = 2048;

class LoaCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(BLOCK);
    this.filled = 0;
    this.open = true;
    this.port.onmessage = (event) => { if (event.data === 'stop') this.open = false; };
  }

  process(inputs) {
    const input = inputs[0];
    if (this.open && input && input.length > 0) {
      const channels = input.length;
      const frames = input[0].length;
      for (let i = 0; i < frames; i += 1) {
        let sum = 0;
        for (let c = 0; c < channels; c += 1) sum += input[c][i];
        this.block[this.filled] = sum / channels;
        this.filled += 1;
        if (this.filled === BLOCK) {
          this.port.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(BLOCK);
          this.filled = 0;
        }
      }
    }
    return this.open;
  }
}

registerProcessor('loa-capture', LoaCapture);
