"""The console test's fake microphone and how to recognise it in what came back.

Chromium's fake capture device (`--use-file-for-fake-audio-capture`) plays a WAV in a loop; this
one is three tones of one second each (440, 660, 990 Hz, each starting at phase 0 and a whole
number of cycles long, so the loop is seamless). Whatever the controller kept (a recorded
bulletin, loudness-normalised and MP3-encoded) or sent (a live stream's listen URL) is decoded with
ffmpeg and aligned with the loop: which tone sounds in each 100 ms, the frequency of each whole
tone, and the waveform's correlation with the file around each tone boundary. Pure Python (no numpy).
"""
import math
import struct
import subprocess
import wave

RATE = 48_000
PATTERN = (440.0, 660.0, 990.0)  # Hz, one second each
AMPLITUDE = 0.5
CYCLE = float(len(PATTERN))


def write_mic_wav(path):
    samples = []
    for frequency in PATTERN:
        samples += [round(AMPLITUDE * 32767 * math.sin(2 * math.pi * frequency * i / RATE)) for i in range(RATE)]
    with wave.open(str(path), 'wb') as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f'<{len(samples)}h', *samples))


def expected(t):
    """The file's sample at time t (seconds, looped)."""
    tau = t % CYCLE
    block = min(int(tau), len(PATTERN) - 1)
    return AMPLITUDE * math.sin(2 * math.pi * PATTERN[block] * (tau - block))


def decode(data, rate=24_000):
    """Any audio ffmpeg reads → mono floats at `rate`."""
    pcm = subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1',
                          '-ar', str(rate), 'pipe:1'], input=data, capture_output=True, check=True).stdout
    return [s / 32768 for s in struct.unpack(f'<{len(pcm) // 2}h', pcm[:len(pcm) // 2 * 2])]


def goertzel(samples, start, count, frequency, rate):
    k = 2 * math.cos(2 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for x in samples[start:start + count]:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def dominant(samples, start, count, rate):
    """Which of the pattern's tones sounds in the window (its index), or None when it is quiet."""
    window = samples[start:start + count]
    if not window or sum(x * x for x in window) / len(window) < 1e-5:
        return None
    powers = [goertzel(samples, start, count, f, rate) for f in PATTERN]
    return powers.index(max(powers))


def _fit(tones, offset, window):
    """Share of the windows wholly inside one tone (at this offset) that hear that tone, and their count."""
    compared = matched = 0
    for start, tone in tones:
        if tone is None:
            continue
        t0 = (start + offset) % CYCLE
        block = int(t0)
        if t0 + window > block + 1 - 1e-9:
            continue  # the window crosses from one tone to the next
        compared += 1
        matched += tone == block
    return (matched / compared if compared else 0.0), compared


def align(samples, rate, window=0.05, step=0.005):
    """The offset (s) that maps decoded time to the loop's time, the share of 50 ms windows wholly
    inside one tone that hear the expected tone, and how many windows were compared. Offsets within
    half a window of the truth fit equally well: the middle of that run is taken."""
    n = int(window * rate)
    tones = [(i * n / rate, dominant(samples, i * n, n, rate)) for i in range(len(samples) // n)]
    fits = [(k * step, _fit(tones, k * step, window)[0]) for k in range(int(round(CYCLE / step)))]
    top = max(f for _, f in fits)
    offsets = sorted(o for o, f in fits if f >= top - 1e-9)
    gaps = [((offsets[(i + 1) % len(offsets)] - offsets[i]) % CYCLE) or CYCLE for i in range(len(offsets))]
    widest = gaps.index(max(gaps))
    first = offsets[(widest + 1) % len(offsets)]
    middle = (first + (CYCLE - max(gaps)) / 2) % CYCLE if len(offsets) > 1 else first
    fraction, compared = _fit(tones, middle, window)
    return middle, fraction, compared


def zero_crossing_hz(samples, rate):
    crossings = []
    for i in range(1, len(samples)):
        a, b = samples[i - 1], samples[i]
        if a < 0 <= b:
            crossings.append(i - 1 + a / (a - b))
    if len(crossings) < 3:
        return 0.0
    return (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])


def sounding(samples, rate, floor=0.3):
    """True when every 50 ms of `samples` is at least `floor` of their loudest 50 ms (RMS)."""
    n = int(0.05 * rate)
    levels = [math.sqrt(sum(x * x for x in samples[i:i + n]) / n) for i in range(0, len(samples) - n + 1, n)]
    return bool(levels) and min(levels) >= floor * max(levels)


def tone_frequencies(samples, rate, offset):
    """(expected, measured) for each whole tone in the recording, measured over its middle 0.8 s.
    A tone with a gap in it (the fake device's first instants, before its file sounds) is left out."""
    found = []
    duration = len(samples) / rate
    first = math.ceil(offset)  # loop time of the first tone start at or after decoded time 0
    t = first - offset
    while t + 1 <= duration:
        block = int(round(t + offset)) % len(PATTERN)
        middle = samples[int((t + 0.1) * rate):int((t + 0.9) * rate)]
        if sounding(middle, rate):
            found.append((PATTERN[block], zero_crossing_hz(middle, rate)))
        t += 1
    return found


def _pearson(samples, lo, hi, lag, rate):
    body = samples[lo:hi]
    ref = [expected((lo + i) / rate + lag) for i in range(len(body))]
    return sum(x * y for x, y in zip(body, ref)) / math.sqrt(max(1e-12, sum(x * x for x in body) * sum(y * y for y in ref)))


def correlations(samples, rate, offset, skip=0.3, half=0.4):
    """The waveform against the file around each tone boundary (0.8 s across it, so the lag is
    unique): the best lag within ±30 ms of `offset`, found to the sample on ±25 ms across the
    boundary, then the Pearson correlation over the 0.8 s. Chromium's fake device skips a few
    milliseconds now and then, so one lag does not hold for a whole recording; each window gets its
    own. Returns [(correlation, lag)], one per boundary at least `skip` s from either end."""
    found = []
    duration = len(samples) / rate
    boundary = math.ceil(offset + skip + half) - offset
    while boundary + half + skip <= duration:
        lo, hi = int((boundary - 0.025) * rate), int((boundary + 0.025) * rate)
        best_lag, best = offset, -2.0
        for shift in range(-int(0.03 * rate), int(0.03 * rate) + 1):
            score = _pearson(samples, lo, hi, offset + shift / rate, rate)
            if score > best:
                best, best_lag = score, offset + shift / rate
        found.append((_pearson(samples, int((boundary - half) * rate), int((boundary + half) * rate), best_lag, rate), best_lag))
        boundary += 1
    return found
