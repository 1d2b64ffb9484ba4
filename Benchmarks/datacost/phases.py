#!/usr/bin/env python3
"""Arithmetic of Benchmarks/data-cost.sh over count-proxy.py's counters and events.

    phases.py delta BEFORE.json AFTER.json NAME EXTRA_JSON TLS   one phase as a JSON line
    phases.py line                                               that line, readable (stdin)
    phases.py bursts EVENTS T0 T1                                the idle window per message kind
    phases.py report RESULTS_DIR BUILT_FROM                      the Markdown summary

IP bytes = payload + segments × header, for a 52-byte header (20 IPv4 + 20 TCP + 12 timestamp
option, what Linux sends on this link) and a 40-byte one (the issue's anchor, no TCP options).
"""
import json, statistics, sys

KEYS = ("up_payload", "down_payload", "up_segs", "down_segs", "retrans", "connections", "refused")
DAY = 86400


def ip(p, header=52):
    return p["up_payload"] + p["down_payload"] + (p["up_segs"] + p["down_segs"]) * header


def delta(before, after, name, extra, tls):
    b, a = json.load(open(before)), json.load(open(after))
    p = dict(phase=name, tls=tls, seconds=round(a["t"] - b["t"], 1), **{k: a[k] - b[k] for k in KEYS})
    p["ip52"], p["ip40"] = ip(p, 52), ip(p, 40)
    p.update(json.loads(extra))
    print(json.dumps(p))


def line():
    p = json.loads(sys.stdin.read())
    print(f"  {p['phase']}: {p['ip52']} B at the IP level ({p['ip40']} B with 40-B headers) in {p['seconds']} s — "
          f"up {p['up_payload']} B / {p['up_segs']} segments, down {p['down_payload']} B / {p['down_segs']} segments, "
          f"{p['connections']} connection(s), {p['refused']} refused")


def classify(events):
    up = [e for e in events if e["dir"] == "up"]
    down = [e for e in events if e["dir"] == "down"]
    ub, db = sum(e["n"] for e in up), sum(e["n"] for e in down)
    if not down:
        return "heartbeat" if ub < 120 else "health report"
    if len(up) >= 2 and len(down) >= 2 and ub < 100 * len(up) and db < 100 * len(down):
        return "clock round"
    return "other"


def bursts(path, t0, t1, gap=3.0):
    """Groups the window's reads into bursts (reads less than `gap` apart) and prices each kind.
    A burst's segments run from its first read to the next burst's first read (its ACKs
    included); the window's total is exact, this split is close (±1 segment a burst)."""
    t0, t1 = float(t0), float(t1)
    chunks = [e for e in map(json.loads, open(path)) if e.get("ev") == "chunk" and t0 <= e["t"] <= t1]
    groups = []
    for e in chunks:
        if groups and e["t"] - groups[-1][-1]["t"] < gap and e["c"] == groups[-1][-1]["c"]:
            groups[-1].append(e)
        else:
            groups.append([e])
    kinds = {}
    for i, g in enumerate(groups):
        first = g[0]
        if i + 1 < len(groups) and groups[i + 1][0]["c"] == first["c"]:
            nxt = groups[i + 1][0]
            segs = (nxt["up_segs"] - first["up_segs"]) + (nxt["down_segs"] - first["down_segs"])
        else:   # the last burst: its own reads, its first segment and a trailing ACK
            segs = (g[-1]["up_segs"] - first["up_segs"]) + (g[-1]["down_segs"] - first["down_segs"]) + 2
        payload = sum(e["n"] for e in g)
        k = kinds.setdefault(classify(g), dict(count=0, payload=0, segs=0, shapes=[]))
        k["count"] += 1
        k["payload"] += payload
        k["segs"] += segs
        shape = " ".join(f"{e['dir'][0]}{e['n']}" for e in g)
        if shape not in k["shapes"] and len(k["shapes"]) < 4:
            k["shapes"].append(shape)
    for k in kinds.values():
        k["ip52_each"] = round((k["payload"] + 52 * k["segs"]) / k["count"])
        k["ip40_each"] = round((k["payload"] + 40 * k["segs"]) / k["count"])
    print(json.dumps(dict(window_seconds=round(t1 - t0, 1), kinds=kinds)))


def load(results, tls):
    try:
        return [json.loads(l) for l in open(f"{results}/phases-tls-{tls}.jsonl") if l.strip()]
    except FileNotFoundError:
        return []


def figures(phases):
    """Row name → (IP bytes with 52-B headers, with 40-B headers, note)."""
    by = {}
    for p in phases:
        by.setdefault(p["phase"], []).append(p)
    rows = {}
    if "idle" in by:
        p = by["idle"][0]
        scale = DAY / p["seconds"]
        rows["idle per day, extrapolated from the window"] = (p["ip52"] * scale, p["ip40"] * scale,
                                                             f"{p['seconds']:.0f} s window × {scale:.1f}")
        kinds = p.get("kinds", {})
        # by kind: each kind's measured cost × how often it comes in a day at the defaults
        per_day = {"health report": DAY / 900, "clock round": DAY / 1800}
        if "heartbeat" in kinds:
            per_day["heartbeat"] = kinds["heartbeat"]["count"] * DAY / p["seconds"]
        m52 = sum(kinds[k]["ip52_each"] * n for k, n in per_day.items() if k in kinds)
        m40 = sum(kinds[k]["ip40_each"] * n for k, n in per_day.items() if k in kinds)
        have = [k for k in per_day if k in kinds]
        rows["idle per day, by kind (measured cost × daily count)"] = (
            m52, m40, ", ".join(f"{k} {kinds[k]['ip52_each']} B × {per_day[k]:.0f}" for k in have)
            + ("" if len(have) == 3 else f"; not seen in the window: {', '.join(k for k in per_day if k not in kinds)}"))
        for k in ("heartbeat", "health report", "clock round"):
            if k in kinds:
                rows[f"per {k}"] = (kinds[k]["ip52_each"], kinds[k]["ip40_each"],
                                   f"{kinds[k]['count']} in the window; reads: {' | '.join(kinds[k]['shapes'][:2])}")
    if "connect" in by:
        p = by["connect"][0]
        rows["first connection (start to quiet)"] = (p["ip52"], p["ip40"], f"{p['connections']} connection")
    if "reconnect" in by:
        r = by["reconnect"]
        rows["per reconnect (median)"] = (statistics.median(p["ip52"] for p in r), statistics.median(p["ip40"] for p in r),
                                          f"{len(r)} drops: " + ", ".join(str(p["ip52"]) for p in r) + " B")
    if "push" in by:
        p = by["push"][0]
        rows["per schedule push (content cached)"] = (p["ip52"], p["ip40"], "")
    if "push+content" in by and "push" in by:
        p, q = by["push+content"][0], by["push"][0]
        size = p["content_bytes"]
        o52, o40 = p["ip52"] - q["ip52"] - size, p["ip40"] - q["ip40"] - size
        # On loopback the gateway acknowledges a burst with few ACKs (segments arrive faster than
        # it reads); a real 4G path delivers them spaced and Linux ACKs every second one.
        acks = -(-p["down_payload"] // 1448) // 2
        extra = max(0, acks - p["up_segs"])
        rows["content download overhead"] = (o52, o40, f"{size} B file: {100 * o52 / size:.1f} % "
                                             f"({100 * o40 / size:.1f} % with 40-B headers); push + download {p['ip52']} B; "
                                             f"{p['up_segs']} segments up where a real path would ACK every second of "
                                             f"~{2 * acks} down: +{extra * 52} B ({100 * (o52 + extra * 52) / size:.1f} %)")
    if "live" in by:
        p = by["live"][0]
        scale = 3600 / p["stream_seconds"]
        rows["per hour of live stream"] = (p["ip52"] * scale, p["ip40"] * scale,
                                           f"{p['stream_seconds']} s stream × {scale:.0f}; payload {p['down_payload'] * scale / 1e6:.2f} MB down")
    if "play" in by:
        p = by["play"][0]
        rows["per scheduled play (60 s bulletin)"] = (p["ip52"], p["ip40"],
                                                      f"from `schedule add --in {p['lead_seconds']}` to played, {p['seconds']:.0f} s")
    return rows


def fmt(v):
    return f"{v / 1000:,.1f} kB" if abs(v) >= 10_000 else f"{v:,.0f} B"


def report(results, built_from):
    off, on = figures(load(results, "off")), figures(load(results, "on"))
    names = list(dict.fromkeys([*off, *on]))
    print(f"Gateway data cost ({built_from}); IP bytes with 52-B headers (with 40-B headers)\n")
    print("| | TLS off | TLS on | notes (TLS off; TLS on) |")
    print("| --- | --- | --- | --- |")
    for n in names:
        cells = [f"**{fmt(r[0])}** ({fmt(r[1])})" if (r := side.get(n)) else "—" for side in (off, on)]
        notes = "; ".join(side[n][2] for side in (off, on) if n in side and side[n][2])
        print(f"| {n} | {cells[0]} | {cells[1]} | {notes} |")
    print("\nPhases (payload and segments each way):\n")
    print("| TLS | phase | seconds | up payload | up segments | down payload | down segments | connections |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for tls in ("off", "on"):
        for p in load(results, tls):
            print(f"| {tls} | {p['phase']} | {p['seconds']} | {p['up_payload']} | {p['up_segs']} | {p['down_payload']} "
                  f"| {p['down_segs']} | {p['connections']} |")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "delta":
        delta(*sys.argv[2:7])
    elif cmd == "line":
        line()
    elif cmd == "bursts":
        bursts(*sys.argv[2:5])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
