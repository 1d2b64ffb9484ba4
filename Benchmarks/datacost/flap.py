#!/usr/bin/env python3
"""The flapping-link run's result (Benchmarks/flapping-link.sh), as Markdown.

    flap.py EVENTS PLAY_LOG INSTANTS BEFORE AFTER GATEWAY_LOG MINUTES PERIOD DOWN EVERY TLS BUILT_FROM

Plays: each scheduled instant against the controller's play log (`started` within 1 s).
Outages: from the proxy's down/up events; attempts = connections the proxy saw from the
outage's start until a connection lasted (refused ones during the outage, then the one that
took). Reconnect bytes: each new connection's counters at its last read within 15 s of opening
(handshake and resync), plus the refused attempts' own.
"""
import json, re, sys
from datetime import datetime

(events_path, log_path, instants_path, before_path, after_path, gw_log_path,
 minutes, period, down, every, tls, built_from) = sys.argv[1:13]


def ip52(c):
    return c["up_payload"] + c["down_payload"] + 52 * (c["up_segs"] + c["down_segs"])


events = [json.loads(l) for l in open(events_path) if l.strip()]
log = json.load(open(log_path))
if isinstance(log, dict):
    log = log.get("items") or log.get("events") or []
instants = [int(l) for l in open(instants_path) if l.strip()]
before, after = json.load(open(before_path)), json.load(open(after_path))
t_start, t_end = before["t"], after["t"]


def stamp(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


# Plays: the started event nearest each instant.
started = sorted((stamp(e["at"]), e) for e in log if e["kind"] == "started")
rows, late, missing = [], 0, 0
outages = []
for e in events:
    if e.get("ev") == "down" and t_start <= e["t"] <= t_end + 1:
        outages.append(dict(start=e["t"], end=None))
    elif e.get("ev") == "up" and outages and outages[-1]["end"] is None:
        outages[-1]["end"] = e["t"]


def in_outage(t):
    """Seconds into the outage the instant falls in (from 1 s before its start), else None."""
    for o in outages:
        if o["start"] - 1 <= t <= (o["end"] or t_end):
            return t - o["start"]
    return None


for t in instants:
    near = [(abs(s - t), s, e) for s, e in started if abs(s - t) < 30]
    if not near:
        missing += 1
        rows.append((t, None, in_outage(t)))
        continue
    _, s, e = min(near, key=lambda x: x[0])
    if abs(s - t) > 1.0:
        late += 1
    rows.append((t, s - t, in_outage(t)))
kinds = {}
for e in log:
    kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1

# Outages: attempts and what reconnecting cost.
opens = [e for e in events if e.get("ev") == "open"]
refused = [e for e in events if e.get("ev") == "refused"]
chunks = {}
for e in events:
    if e.get("ev") == "chunk":
        chunks.setdefault(e["c"], []).append(e)
per_outage = []
for i, o in enumerate(outages):
    nxt = outages[i + 1]["start"] if i + 1 < len(outages) else t_end + 60
    ref = [e for e in refused if o["start"] <= e["t"] < (o["end"] or nxt)]
    new = [e for e in opens if (o["end"] or nxt) <= e["t"] < nxt]
    refused_cost = sum(ip52(e) for e in ref)
    cost = 0
    took = None
    if new:
        c = new[0]
        took = c["t"] - (o["end"] or c["t"])
        early = [x for x in chunks.get(c["c"], []) if x["t"] <= c["t"] + 15]
        cost += ip52(early[-1]) if early else ip52(c)
    per_outage.append(dict(n=i + 1, attempts_refused=len(ref), connections_after=len(new[:1]),
                           back_after=took, refused_cost=refused_cost, cost=cost))

delays = [int(m.group(1)) for m in re.finditer(r"delay\.ms=(\d+)", open(gw_log_path).read())]
total = {k: after[k] - before[k] for k in ("up_payload", "down_payload", "up_segs", "down_segs", "connections", "refused")}
hours = (t_end - t_start) / 3600

print(f"Flapping link: {minutes} min, down {down} s every {period} s, a 10 s bulletin every {every} s, "
      f"TLS {tls} ({built_from})\n")
print(f"- plays scheduled: {len(instants)}; started within 1 s: {len(instants) - late - missing}; "
      f"later than 1 s: {late}; not in the play log: {missing}; "
      f"during an outage (or within 1 s before it): {sum(1 for r in rows if r[2] is not None)} (of which on time: "
      f"{sum(1 for r in rows if r[2] is not None and r[1] is not None and abs(r[1]) <= 1)})")
offs = [abs(r[1]) for r in rows if r[1] is not None]
if offs:
    print(f"- start error |started − scheduled|: median {sorted(offs)[len(offs) // 2] * 1000:.0f} ms, "
          f"max {max(offs) * 1000:.0f} ms")
print(f"- play-log events by kind: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}")
print(f"- outages: {len(outages)}; connection attempts refused during them: "
      f"{', '.join(str(o['attempts_refused']) for o in per_outage)} "
      f"(max {max((o['attempts_refused'] for o in per_outage), default=0)})")
backs = [o["back_after"] for o in per_outage if o["back_after"] is not None]
if backs:
    print(f"- back after each outage's end: {', '.join(f'{b:.1f}' for b in backs)} s")
print(f"- gateway's reconnect delays (log, ms): {', '.join(map(str, delays[:40]))}{' …' if len(delays) > 40 else ''}")
costs = [o["cost"] for o in per_outage if o["back_after"] is not None]
refused_costs = [o["refused_cost"] for o in per_outage]
if costs:
    print(f"- IP bytes per outage: the refused attempts {', '.join(map(str, refused_costs))} "
          f"(median {sorted(refused_costs)[len(refused_costs) // 2]} B); the new connection's first 15 s "
          f"{', '.join(map(str, costs))} (median {sorted(costs)[len(costs) // 2]} B)")
ip = ip52(total)
print(f"- the whole run: {total['connections']} connections, {total['refused']} refused; up {total['up_payload']} B / "
      f"{total['up_segs']} segments, down {total['down_payload']} B / {total['down_segs']} segments; "
      f"{ip} B at the IP level = {ip / hours / 1000:.1f} kB an hour ({ip / hours * 24 / 1e6:.2f} MB a day at this pace)")
print("\n| scheduled (UTC) | started − scheduled | in an outage (s from its start) |")
print("| --- | --- | --- |")
for t, d, o in rows:
    print(f"| {datetime.utcfromtimestamp(t):%H:%M:%S} | {'not logged' if d is None else f'{d * 1000:+.0f} ms'} | {'' if o is None else f'{o:+.1f}'} |")
