#!/usr/bin/env python3
"""A delaying TCP proxy for one link on loopback (the kernel here has no netem).

    delay-proxy.py --listen PORT --target HOST:PORT --profile lan|4g --seed N [--log FILE]

Every connection accepted on 127.0.0.1:PORT is joined to a new connection to the target, and
both directions are delayed chunk by chunk: a chunk read at `arrival` is written at
max(previous release, arrival + delay), so byte order is kept and a stall holds everything
behind it (TCP's head-of-line blocking). Profiles:
    lan  0.2 ms
    4g   40 ms ± 20 ms (uniform, per chunk), and 1 % of chunks stalled 300 ms more
Each direction of each connection draws from its own random stream, seeded from --seed,
the direction and the connection's number, so two proxies with different seeds never share
their jitter and a run is repeatable. Reads are at most 16 KiB, so a large burst (a content
download) is several chunks, as it would be several segments on a real link.
"""
import argparse, asyncio, os, random, signal, sys, time

PROFILES = {
    "lan": dict(base=0.0002, jitter=0.0, stall_p=0.0, stall=0.0),
    "4g": dict(base=0.040, jitter=0.020, stall_p=0.01, stall=0.300),
}


def delay_of(profile, rng):
    d = profile["base"] + (rng.uniform(-profile["jitter"], profile["jitter"]) if profile["jitter"] else 0.0)
    if profile["stall_p"] and rng.random() < profile["stall_p"]:
        d += profile["stall"]
    return d


class Stats:
    def __init__(self):
        self.chunks = self.bytes = self.stalls = 0


async def pipe(reader, writer, profile, rng, stats):
    """Reads chunks as they come; a second task writes each at its release time."""
    queue = asyncio.Queue()

    async def release():
        while True:
            item = await queue.get()
            if item is None:
                break
            at, data = item
            wait = at - time.monotonic()
            if wait > 0.002:   # the event loop's timers wake in whole milliseconds
                await asyncio.sleep(wait - 0.0015)
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(release())
    last = 0.0
    try:
        while True:
            data = await reader.read(16384)
            if not data:
                break
            d = delay_of(profile, rng)
            if d >= profile["stall"] > 0:
                stats.stalls += 1
            last = max(last, time.monotonic() + d)
            stats.chunks += 1
            stats.bytes += len(data)
            queue.put_nowait((last, data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait(None)
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--profile", choices=sorted(PROFILES), required=True)
    p.add_argument("--seed", default="1", help="any text")
    p.add_argument("--log", help="append one line per closed connection")
    a = p.parse_args()
    host, port = a.target.rsplit(":", 1)
    profile = PROFILES[a.profile]
    count = 0

    async def handle(client_reader, client_writer):
        nonlocal count
        count += 1
        n = count
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        up, down = Stats(), Stats()
        await asyncio.gather(
            pipe(client_reader, up_writer, profile, random.Random(f"{a.seed}/{n}/up"), up),
            pipe(up_reader, client_writer, profile, random.Random(f"{a.seed}/{n}/down"), down))
        if a.log:
            with open(a.log, "a") as f:
                f.write(f"connection {n}: up {up.chunks} chunks {up.bytes} B {up.stalls} stalls, "
                        f"down {down.chunks} chunks {down.bytes} B {down.stalls} stalls\n")

    server = await asyncio.start_server(handle, "127.0.0.1", a.listen)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, lambda: stop.done() or stop.set_result(None))
    async with server:
        await stop
    os._exit(0)   # open connections end with the process, without cancellation noise


if __name__ == "__main__":
    asyncio.run(main())
