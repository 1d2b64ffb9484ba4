#!/usr/bin/env python3
"""The benchmark's source signal: clicks over a noise bed, the same sample for sample wherever
it is made (numpy).

    clicktrack.py wav SECONDS OUT.wav                       a bulletin (48 kHz mono 16-bit WAV)
    clicktrack.py feed SECONDS --channels 1|2 --start-file F [--at EPOCH] [--out PATH]
                                                            the same, paced in real time

Every second of the signal begins with a click (2 ms of white noise at -3 dBFS peak) followed by
band-limited noise (300-8000 Hz) at about -30 dBFS RMS; each second's noise comes from its own
seed, so the signal never repeats and a cross-correlation has one peak. The bed is continuous,
so a dropout shows as silence, and the clicks make each start sharp.

`feed` writes s16le at 48 kHz (mono, or the same sample on both channels) to stdout or PATH (a
FIFO) like a microphone: the 20 ms chunk k (its samples captured from t0 + k*20 ms on) is
written at t0 + (k+1)*20 ms on CLOCK_MONOTONIC, so source sample i "happened" at t0 + i/48000.
t0 (monotonic) and the realtime-monotonic difference are written to --start-file as JSON before
the first write. --at starts at that wall-clock time (several feeders start together).
"""
import argparse, functools, json, os, sys, time
import numpy as np

RATE = 48000
CLICK = int(0.002 * RATE)


@functools.lru_cache(maxsize=4)
def second(k):
    """Float samples of second k of the signal."""
    rng = np.random.default_rng(1000 + k)
    bed = rng.standard_normal(RATE)
    spec = np.fft.rfft(bed)
    f = np.fft.rfftfreq(RATE, 1 / RATE)
    spec[(f < 300) | (f > 8000)] = 0
    bed = np.fft.irfft(spec, RATE)
    bed *= 10 ** (-30 / 20) / np.sqrt(np.mean(bed ** 2))
    click = rng.uniform(-1, 1, CLICK) * 10 ** (-3 / 20)
    bed[:CLICK] = click
    return bed


def signal(start, count):
    """Samples [start, start + count) of the signal, as float."""
    out = np.empty(count)
    k, done = start // RATE, 0
    while done < count:
        s = second(k)   # cached: the feeder asks for each second 50 times
        lo = (start + done) - k * RATE
        n = min(RATE - lo, count - done)
        out[done:done + n] = s[lo:lo + n]
        done += n
        k += 1
    return out


def pcm(x, channels):
    y = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2")
    return np.repeat(y, channels).tobytes() if channels > 1 else y.tobytes()


def write_wav(seconds, path):
    import wave
    with wave.open(path, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(RATE)
        w.writeframes(pcm(signal(0, int(seconds * RATE)), 1))


def feed(a):
    out = open(a.out, "wb", buffering=0) if a.out else os.fdopen(sys.stdout.fileno(), "wb", buffering=0)
    chunk = RATE // 50
    total = int(a.seconds * RATE) // chunk
    if a.at:
        while (d := a.at - time.time()) > 0:
            time.sleep(min(d, 0.5))
    t0 = time.monotonic()
    with open(a.start_file, "w") as f:
        json.dump({"t0": t0, "realtime_minus_monotonic": time.time() - time.monotonic(), "rate": RATE,
                   "channels": a.channels}, f)
    late = 0.0
    for k in range(total):
        data = pcm(signal(k * chunk, chunk), a.channels)
        due = t0 + (k + 1) * chunk / RATE
        if (d := due - time.monotonic()) > 0:
            time.sleep(d)
        late = max(late, time.monotonic() - due)
        try:
            out.write(data)
        except BrokenPipeError:
            break
    with open(a.start_file) as f:
        info = json.load(f)
    info["max_write_late_s"] = late
    with open(a.start_file, "w") as f:
        json.dump(info, f)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wav"); w.add_argument("seconds", type=float); w.add_argument("out")
    f = sub.add_parser("feed"); f.add_argument("seconds", type=float)
    f.add_argument("--channels", type=int, default=1); f.add_argument("--start-file", required=True)
    f.add_argument("--at", type=float); f.add_argument("--out")
    a = p.parse_args()
    write_wav(a.seconds, a.out) if a.cmd == "wav" else feed(a)
