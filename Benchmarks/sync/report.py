#!/usr/bin/env python3
"""The figures of sync-vs-snapcast.sh, per profile, from skew.py's results.

    report.py RESULTS_DIR PROFILE…      reads RESULTS_DIR/results-PROFILE.json

Skews are B - A in ms (positive: B later); latencies in ms from the source (for a Loa bulletin,
from its scheduled time).
"""
import json, os, sys


def ms(v, digits=2):
    return "—" if v is None else f"{v:.{digits}f}"


def med(s, side):
    return ((s.get("latency_ms") or {}).get(side) or {}).get("median")


def payloads(s):
    """(lost, late) summed over both gateways, from "received lost late" strings."""
    lost = late = 0
    for v in (s.get("reception") or {}).values():
        parts = v.split()
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            lost += int(parts[1]); late += int(parts[2])
    return lost, late


def gap_free(s):
    g = s.get("gaps") or {}
    return (not s.get("error") and all(v[0] == 0 for v in g.values()) and payloads(s) == (0, 0)
            and s.get("first_sound_at_s_a") is not None and abs(s["first_sound_at_s_a"]) < 0.05
            and s.get("first_sound_at_s_b") is not None and abs(s["first_sound_at_s_b"]) < 0.05)


def start_line(tag, s):
    joined = ""
    for side in ("a", "b"):
        v = s.get(f"first_sound_at_s_{side}")
        if v is not None and abs(v) >= 0.05:
            joined += (f"; {side.upper()}'s sound began {v:+.3f} s from the content's first sample"
                       + (" (the start before it missing)" if v > 0 else " (sound before the content)"))
    return (f"{tag}: first sound B-A {ms(s.get('first_sound_skew_ms'), 3)} ms, skew just after it "
            f"{ms(s.get('start_skew_ms'), 3)} ms (xcorr, peak {ms(s.get('start_peak'), 2)}), first click B-A {ms(s.get('onset_skew_ms'), 3)} ms; "
            f"latency of the first sample A {ms(s['first_latency_ms'][0], 1)} B {ms(s['first_latency_ms'][1], 1)} ms"
            f"{joined}{' ' + s['error'] if s.get('error') else ''}")


def main(results, profiles):
    for profile in profiles:
        r = json.load(open(os.path.join(results, f"results-{profile}.json")))
        rec = r["recording"]
        rate = f"; the earliest reads moved {rec['drift_ms']:+.1f} ms from the first to the last fifth"
        print(f"== {profile}: recording {rec['seconds']:.0f} s; parec's reads lag the earliest by "
              f"{rec['delivery_ms']['median']:.1f} ms median, {rec['delivery_ms']['p99']:.1f} ms p99{rate}")
        by = {s["label"]: s for s in r["scenarios"]}
        for system in ("loa", "snap"):
            if f"{system}-bulletin" in by:
                print(start_line(f"a  {system:4s} bulletin start", by[f"{system}-bulletin"]))
        for system in ("loa", "snap"):
            if f"{system}-long" in by:
                print(start_line(f"b  {system:4s} live start", by[f"{system}-long"]))
        for system in ("loa", "snap"):
            s = by.get(f"{system}-long")
            if not s:
                continue
            k = s.get("skew_ms") or {}
            print(f"c  {system:4s} long stream {s['seconds']} s, output clocks ±{s.get('skew_ppm', 0)} ppm: skew median "
                  f"{ms(k.get('median'), 3)} ms, |skew| median {ms(k.get('median_abs'), 3)} p95 {ms(k.get('p95_abs'), 3)} "
                  f"max {ms(k.get('max_abs'), 3)} ms, range {ms(k.get('min'), 3)} … {ms(k.get('max'), 3)} over {k.get('n', 0)} "
                  f"windows ({s.get('windows_unmatched', 0)} unmatched); gaps (count, ms) {s.get('gaps')}")
        for system in ("loa", "snap"):
            s = by.get(f"{system}-long")
            if s:
                print(f"d  {system:4s} latency, {'delay_ms ' + str(s['delay_ms']) if 'delay_ms' in s else 'defaults'}: "
                      f"median A {ms(med(s, 'A'), 1)} B {ms(med(s, 'B'), 1)} ms"
                      f"{'; payloads lost+late ' + str(sum(payloads(s))) if 'reception' in s else ''}")
        steps = sorted((s for s in r["scenarios"] if s["label"].startswith("loa-delay")), key=lambda s: -s["delay_ms"])
        for s in steps:
            print(f"d  loa  latency, delay_ms {s['delay_ms']}: median A {ms(med(s, 'A'), 1)} B {ms(med(s, 'B'), 1)} ms; "
                  f"start B-A {ms(s.get('onset_skew_ms'), 3)} ms; skew median {ms((s.get('skew_ms') or {}).get('median'), 3)} ms; "
                  f"gaps {s.get('gaps')}; payloads received/lost/late {json.dumps(s.get('reception'))}"
                  f" → {'gap-free' if gap_free(s) else 'GAPS'}")
        # The search: the short streams from the highest delay down, until one has a gap. The long
        # stream (delay 2000) is reported above; a gap in it is not a matter of the delay alone.
        lowest = None
        for s in steps:
            if not gap_free(s):
                break
            lowest = s["delay_ms"]
        at = next((x for x in steps if x["delay_ms"] == lowest), None)
        tail = f", latency median {ms(med(at, 'A'), 1)} ms" if at else ""
        print(f"d  loa  lowest gap-free delay_ms of the search ({', '.join(str(x['delay_ms']) for x in steps)}): "
              f"{lowest or 'none'}{tail}")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
