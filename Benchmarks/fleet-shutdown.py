"""SIGTERM with a connected fleet (issue 13, finding 10): connects N gateways to a real
loa-controller over loopback with an independent client of docs/PROTOCOL.md (Tests/hostile/
loawire.py), then sends SIGTERM and measures how long the controller takes to exit and how
many gateways were told `shuttingDown` (21) before the close. systemd allows TimeoutStopSec=15
(Systemd/loa-controller.service).

    python3 Benchmarks/fleet-shutdown.py --gateways 10000 --binary .build-release/release/loa-controller
    python3 Benchmarks/fleet-shutdown.py --gateways 1000 --limit 15     # the short version in CI

Prints one JSON line; exits 1 when --limit is given and the exit took longer, or when the
controller did not exit by itself."""
import argparse
import asyncio
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "hostile"))
from controller import Controller, register_gateways  # noqa: E402
import loawire as w  # noqa: E402


async def connect_all(port, keys, parallel):
    gate = asyncio.Semaphore(parallel)
    conns = {}

    async def one(gateway_id, key):
        async with gate:
            for attempt in range(5):
                try:
                    conns[gateway_id], _ = await w.connect_gateway("127.0.0.1", port, gateway_id, key)
                    return
                except (OSError, RuntimeError, asyncio.TimeoutError):
                    await asyncio.sleep(0.5 * (attempt + 1))
    await asyncio.gather(*(one(g, k) for g, k in keys.items()))
    return conns


async def await_shutdown(conns, controller):
    told = 0

    async def watch(conn):
        nonlocal told
        error = await conn.read_error(timeout=120)
        if error and error.get("code") == 21:
            told += 1
    watchers = [asyncio.create_task(watch(c)) for c in conns.values()]
    await asyncio.sleep(0.5)
    loop = asyncio.get_running_loop()
    seconds = await loop.run_in_executor(None, controller.terminate, 120)
    await asyncio.wait(watchers, timeout=30)
    for c in conns.values():
        c.close()
    return seconds, told


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateways", type=int, default=10_000)
    parser.add_argument("--binary", default=".build/debug/loa-controller")
    parser.add_argument("--limit", type=float, help="fail when the exit takes longer (seconds)")
    parser.add_argument("--log", action="store_true", help="print the controller's shutdown log lines")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.gateways + 100:
        sys.exit(f"fleet-shutdown: the open-file limit ({hard}) is too low for {args.gateways} gateways")
    controller = Controller(args.binary, log_level="info" if args.log else "warning")
    try:
        area = controller.add_commune()
        ids = [f"gw-{i:05d}" for i in range(args.gateways)]
        started = time.monotonic()
        keys = {gateway_id: secret.encode() for gateway_id, secret in register_gateways(controller, area, ids).items()}
        registered = time.monotonic() - started

        async def run():
            started = time.monotonic()
            conns = await connect_all(controller.gateway_port, keys, 256)
            connected = time.monotonic() - started
            rss = controller.rss_kib()
            await asyncio.sleep(2)
            seconds, told = await await_shutdown(conns, controller)
            return len(conns), connected, rss, seconds, told
        connected, connect_seconds, rss, seconds, told = asyncio.run(run())
        result = {"gateways": args.gateways, "connected": connected, "register_s": round(registered, 1),
                  "connect_s": round(connect_seconds, 1), "controller_rss_mib": round(rss / 1024, 1),
                  "sigterm_to_exit_s": None if seconds is None else round(seconds, 2), "told_shutting_down": told,
                  "exit_status": controller.process.returncode}
        print(json.dumps(result))
        if args.log:
            print(controller.log_tail(12))
        if connected < args.gateways:
            sys.exit("fleet-shutdown: not every gateway connected")
        if seconds is None or (args.limit is not None and seconds > args.limit):
            sys.exit(f"fleet-shutdown: exit took {seconds} s (limit {args.limit} s)\n" + controller.log_tail())
        if controller.process.returncode != 0:
            sys.exit(f"fleet-shutdown: the controller exited with {controller.process.returncode}\n" + controller.log_tail())
    finally:
        controller.cleanup()


if __name__ == "__main__":
    main()
