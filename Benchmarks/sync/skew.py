#!/usr/bin/env python3
"""Skew, latency and gaps from the benchmark's recording (numpy).

    skew.py analyse RUN_DIR          reads RUN_DIR/events.jsonl, rec.raw, rec.timing; writes
                                     RUN_DIR/results.json and RUN_DIR/skew-LABEL.csv
    skew.py plot OUT.svg RUN_DIR…    skew over time of every long live stream in the runs

The recording (recorder.py) holds one loudspeaker per channel; events.jsonl, written by
sync-vs-snapcast.sh, says what played when: one JSON object per scenario, with the pair of
channels (A, B), the source's start file (clicktrack.py feed) or a bulletin's scheduled time.

Time line. Recording sample n is at R0 + n/48000 on CLOCK_MONOTONIC, R0 the smallest
(arrival - frames/48000) over parec's reads within 30 s (recorder.py); source sample i happened at
t0 + i/48000 (clicktrack.py). Latency = (recording time) - (source time) of the same sample,
found by cross-correlating the known source with the channel. For a Loa bulletin the source
time line is its schedule: 'latency' is then its lateness against the scheduled time.

Skew. Channel B against channel A by cross-correlation in windows (0.9 s, every STEP s, lags
within +-1 s), to the sample, refined by a parabola through the peak and its neighbours;
positive: B sounds later than A. A window whose normalised peak is under MATCH is not counted
(silence, a dropout). Gaps: 10 ms blocks of a channel under -50 dBFS while its stream plays
(the source's noise bed never drops under -40 dBFS).
"""
import csv, json, math, os, statistics, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clicktrack import RATE, signal  # noqa: E402

WINDOW = 0.9          # s of sound per correlation, between two clicks (see analyse)
MAX_SKEW = 1.0        # s either side
MAX_LATENCY = 6.0     # s after the source
EARLY = 0.5           # s before it (a bulletin may start before its scheduled second)
ONSET = 10 ** (-12 / 20)   # a click: the noise bed's peaks stay under -18 dBFS
START = 10 ** (-50 / 20)   # any sound: the bed's RMS is -30 dBFS
GAP_DB = -50.0
MATCH = 0.15          # the smallest normalised peak taken as a match
LATENCY_WINDOW = 0.25 # s: Snapcast's clients resample continuously to stay in sync, which warps
                      # a longer window against the source (peak 0.13 at 0.9 s, 0.7 at 0.2 s)


class Recording:
    def __init__(self, run):
        with open(os.path.join(run, "rec.timing")) as f:
            head = json.loads(f.readline())
            rows = np.array([[float(x) for x in line.split()] for line in f if line.strip()])
        self.channels = head["channels"]
        self.data = np.memmap(os.path.join(run, "rec.raw"), dtype="<i2", mode="r")
        self.data = self.data[: len(self.data) // self.channels * self.channels].reshape(-1, self.channels)
        lead = rows[:, 0] - rows[:, 1] / RATE
        self.arrival, self.lead = rows[:, 0], lead
        self.r0 = float(lead.min())
        # How far reads lag the earliest: the bound on the mapping (one-sided, late).
        self.delivery_ms = {"median": 1e3 * float(np.median(lead) - self.r0),
                            "p99": 1e3 * float(np.percentile(lead, 99) - self.r0)}
        # How the earliest reads of the first and the last fifth of the recording move apart
        # (0 if the mapping holds all along; negative: later samples arrive relatively early).
        span, fifth = rows[-1, 0] - rows[0, 0], max(len(lead) // 5, 1)
        self.drift_ms = 1e3 * float(lead[-fifth:].min() - lead[:fifth].min())
        self.realtime_minus_monotonic = head["realtime_minus_monotonic"]

    def local_r0(self, t):
        """R0 from the reads within 30 s of t: the mapping moved by tens of ms over a recording
        on a loaded machine (drift_ms), which a single R0 would put into every latency."""
        lo, hi = np.searchsorted(self.arrival, (t - 30, t + 30))
        return float(self.lead[lo:hi].min()) if hi > lo else self.r0

    def index(self, t):
        return int(round((t - self.local_r0(t)) * RATE))

    def time(self, n):
        return self.local_r0(self.r0 + n / RATE) + n / RATE

    def get(self, channel, start, count):
        lo, hi = max(start, 0), min(start + count, len(self.data))
        out = np.zeros(count)
        if hi > lo:
            out[lo - start:hi - start] = self.data[lo:hi, channel] / 32768.0
        return out


def peak_lag(a, b, lags):
    """Lag d in lags (a range of samples, b longer than a by len(lags)-1) maximising
    sum a[n] b[n + d - lags.start]; sub-sample by a parabola; with the normalised peak."""
    n = len(a) + len(b)
    size = 1 << (n - 1).bit_length()
    c = np.fft.irfft(np.conj(np.fft.rfft(a, size)) * np.fft.rfft(b, size), size)[: len(lags)]
    k = int(np.argmax(c))
    frac = 0.0
    if 0 < k < len(c) - 1:
        y0, y1, y2 = c[k - 1], c[k], c[k + 1]
        den = y0 - 2 * y1 + y2
        frac = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    seg = b[k:k + len(a)]
    norm = math.sqrt(float(np.dot(a, a)) * float(np.dot(seg, seg))) or 1.0
    return lags.start + k + frac, float(c[k]) / norm


def skew_at(rec, ca, cb, t, length=WINDOW):
    """B's lag behind A (ms) for A's sound at recording time [t, t + length), and the peak."""
    n0, n, m = rec.index(t), int(length * RATE), int(MAX_SKEW * RATE)
    a = rec.get(ca, n0, n)
    if np.sqrt(np.mean(a ** 2)) < 10 ** (GAP_DB / 20):
        return None, 0.0
    lag, q = peak_lag(a, rec.get(cb, n0 - m, n + 2 * m), range(-m, m + 1))
    return 1e3 * lag / RATE, q


def latency_at(rec, channel, t0, pos, length=WINDOW, gain=1.0):
    """Recording time minus source time (ms) of source second pos, and the peak."""
    n = int(length * RATE)
    src = signal(int(pos * RATE), n)
    early, m = int(EARLY * RATE), int(MAX_LATENCY * RATE)
    start = rec.index(t0 + pos) - early
    lag, q = peak_lag(src, rec.get(channel, start, n + early + m), range(-early, m + 1))
    return 1e3 * lag / RATE, q


def onset(rec, channel, t_from, seconds, threshold=ONSET):
    """Recording time of the first sample above threshold, or None."""
    n0 = rec.index(t_from)
    x = np.abs(rec.get(channel, n0, int(seconds * RATE)))
    hit = np.nonzero(x > threshold)[0]
    return rec.time(n0 + int(hit[0])) if len(hit) else None


def gaps(rec, channel, t_from, t_to):
    """(count, total ms) of 10 ms blocks under GAP_DB between two recording times."""
    n0, n1 = rec.index(t_from), rec.index(t_to)
    if n1 <= n0:
        return 0, 0.0
    block = RATE // 100
    x = rec.get(channel, n0, (n1 - n0) // block * block).reshape(-1, block)
    quiet = np.sqrt(np.mean(x ** 2, axis=1)) < 10 ** (GAP_DB / 20)
    runs = int(np.sum(quiet[1:] & ~quiet[:-1]) + (1 if len(quiet) and quiet[0] else 0))
    return runs, 10.0 * float(np.sum(quiet))


def summary(values):
    v = [x for x in values if x is not None]
    if not v:
        return None
    a = np.abs(np.array(v))
    return {"n": len(v), "median": statistics.median(v), "min": min(v), "max": max(v),
            "median_abs": float(np.median(a)), "p95_abs": float(np.percentile(a, 95)), "max_abs": float(a.max())}


def analyse_start(rec, ev, t0, search):
    """How a stream began on each channel: its first sound (the noise bed is never under
    -40 dBFS for more than a few samples, and a player's fade-in may hide the click at its very
    first sample), where in the content that sound was (0: the start; 1.0: the first second was
    skipped), the first click each channel played, and the skew around the first sound."""
    ca, cb = ev["pair"]
    out = {}
    for side, c in (("a", ca), ("b", cb)):
        # A bulletin may start before its scheduled time; live sound cannot precede its source.
        t_from = t0 - 1 if "scheduled_realtime" in ev else t0
        out[f"first_sound_{side}"] = onset(rec, c, t_from, search, START)
        out[f"onset_{side}"] = onset(rec, c, t_from, search)
    fa, fb, oa, ob = out["first_sound_a"], out["first_sound_b"], out["onset_a"], out["onset_b"]
    if None in (fa, fb, oa, ob):
        out["error"] = "no sound on " + ("A" if fa is None or oa is None else "B")
        return out
    s, q = skew_at(rec, ca, cb, max(fa, fb) + 0.01, 0.5)
    out.update(start_skew_ms=s, start_peak=q, onset_skew_ms=1e3 * (ob - oa), first_sound_skew_ms=1e3 * (fb - fa))
    for side, c, f in (("a", ca, fa), ("b", cb, fb)):
        lat, q = latency_at(rec, c, t0, 2.05, LATENCY_WINDOW)
        out[f"first_sound_at_s_{side}"] = f - t0 - lat / 1e3 if q >= MATCH else None
    return out


def analyse(run):
    rec = Recording(run)
    results = {"recording": {"r0": rec.r0, "delivery_ms": rec.delivery_ms, "drift_ms": rec.drift_ms,
                             "seconds": len(rec.data) / RATE}, "scenarios": []}
    with open(os.path.join(run, "events.jsonl")) as f:
        events = [json.loads(line) for line in f if line.strip()]
    for ev in events:
        res = dict(ev)
        ca, cb = ev["pair"]
        if "scheduled_realtime" in ev:   # a Loa bulletin: its time line is the schedule
            t0 = ev["scheduled_realtime"] - rec.realtime_minus_monotonic
        else:
            with open(ev["start_file"]) as f:
                t0 = json.load(f)["t0"]
        seconds = ev["seconds"]
        res.update(analyse_start(rec, ev, t0, min(seconds, MAX_LATENCY) + 4))
        # Latency of the first click, then of windows through the stream, on each channel.
        res["first_latency_ms"] = [latency_at(rec, c, t0, 0.0, 0.5)[0] for c in (ca, cb)]
        step = ev.get("step", 10.0)
        # Windows from 50 ms after a click to 50 ms before the next: no click in a window, so
        # no false peak a whole second away, only the never-repeating bed.
        positions = list(np.arange(1.05, max(seconds - 2.0, 1.05), step))
        lat, rows, known = {ca: [], cb: []}, [], None
        for pos in positions:
            la, qa = latency_at(rec, ca, t0, pos, LATENCY_WINDOW)
            lb, qb = latency_at(rec, cb, t0, pos, LATENCY_WINDOW)
            # A wrong lag in click-free noise peaks at ~0.02.
            lat[ca].append(la if qa >= MATCH else None)
            lat[cb].append(lb if qb >= MATCH else None)
            if qa >= MATCH:
                known = la
            s, q = skew_at(rec, ca, cb, t0 + pos + known / 1e3) if known is not None else (None, 0.0)
            rows.append((pos, s if q >= MATCH else None, q, la, lb))
        res["latency_ms"] = {"A": summary(lat[ca]), "B": summary(lat[cb])}
        res["skew_ms"] = summary([r[1] for r in rows])
        res["windows"] = len(rows)
        res["windows_unmatched"] = sum(1 for r in rows if r[1] is None)
        if res.get("first_sound_a") is not None and res.get("first_sound_b") is not None:
            # From just after each channel's first sound (a start that stalls is a gap too) to
            # half a second before the source's end would sound.
            end = t0 + seconds + (res["latency_ms"]["A"] or {"median": 0})["median"] / 1e3
            res["gaps"] = {side.upper(): gaps(rec, c, res[f"first_sound_{side}"] + 0.05, end - 0.5)
                           for side, c in (("a", ca), ("b", cb))}
        label = ev["label"]
        with open(os.path.join(run, f"skew-{label}.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["source_s", "skew_ms", "peak", "latency_a_ms", "latency_b_ms"])
            for r in rows:
                w.writerow([f"{r[0]:.1f}", "" if r[1] is None else f"{r[1]:.4f}", f"{r[2]:.3f}", f"{r[3]:.3f}", f"{r[4]:.3f}"])
        results["scenarios"].append(res)
    with open(os.path.join(run, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=float)
    return results


def plot(out, runs):
    """An SVG of skew (ms) over the stream's time, one line per system and profile."""
    series = []
    for run in runs:
        with open(os.path.join(run, "events.jsonl")) as f:
            for ev in map(json.loads, filter(str.strip, f)):
                if ev.get("long"):
                    with open(os.path.join(run, f"skew-{ev['label']}.csv")) as c:
                        pts = [(float(r["source_s"]) / 60, float(r["skew_ms"])) for r in csv.DictReader(c) if r["skew_ms"]]
                    series.append((f"{ev['system']} {ev['profile']}", pts))
    w, h, left, right, top, bottom = 760, 420, 70, 190, 30, 50
    xmax = max((p[0] for _, pts in series for p in pts), default=1) or 1
    ymax = max((abs(p[1]) for _, pts in series for p in pts), default=1) or 1
    ymax = 10 ** math.ceil(math.log10(ymax)) / (2 if ymax <= 10 ** math.ceil(math.log10(ymax)) / 2 else 1)
    px = lambda x: left + (w - left - right) * x / xmax
    py = lambda y: top + (h - top - bottom) * (1 - (y + ymax) / (2 * ymax))
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">Skew between two loudspeakers during a live stream (B − A, ms)</text>']
    for i in range(5):
        y = -ymax + i * ymax / 2
        svg.append(f'<line x1="{left}" x2="{w - right}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    tick = next(t for t in (0.5, 1, 2, 5, 10, 15, 30, 60) if xmax / t <= 8)
    for i in range(int(xmax / tick) + 1):
        x = i * tick
        svg.append(f'<text x="{px(x):.1f}" y="{h - bottom + 18}" text-anchor="middle">{x:g}</text>')
    svg.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">minutes into the stream</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{w - left - right}" height="{h - top - bottom}" fill="none" stroke="#444"/>')
    for i, (name, pts) in enumerate(series):
        # Colour by system, dashes by profile.
        col = "#c0392b" if name.startswith("loa") else "#2471a3"
        dash = ' stroke-dasharray="6,3"' if name.endswith("4g") else ""
        if pts:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            svg.append(f'<polyline points="{path}" fill="none" stroke="{col}" stroke-width="1.5"{dash}/>')
            svg.extend(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2" fill="{col}"/>' for x, y in pts)
        svg.append(f'<line x1="{w - right + 12}" x2="{w - right + 32}" y1="{top + 14 + 18 * i}" y2="{top + 14 + 18 * i}" stroke="{col}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{w - right + 38}" y="{top + 18 + 18 * i}">{name}</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "analyse":
        json.dump(analyse(sys.argv[2]), sys.stdout, indent=1, default=float)
        print()
    elif len(sys.argv) >= 4 and sys.argv[1] == "plot":
        plot(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
