"""A fleet on one node (issue 14): starts a real loa-controller on loopback, registers N
gateways through its API, and runs loa-bench (Sources/loa-bench: N protocol clients in one
process — handshake, clock sync, heartbeats, health reports, schedule acks, content, as-played
events, no audio) against it: a ramp, a hold that measures the clock round trips, and with
--storm a controller restart (SIGTERM, start again on the same state) with every gateway
reconnecting at once. loa-bench reads the controller's CPU and RSS from /proc.

    swift build -c release --static-swift-stdlib --scratch-path .build-release
    python3 Benchmarks/fleet-scale.py --gateways 10000 --heartbeat 10 --storm
    python3 Benchmarks/fleet-scale.py --gateways 300 --hold 15 --heartbeat 5 --bin .build/debug --check   # the short version in CI

Prints loa-bench's summary as one JSON line (with the load average and the binaries) and keeps
every line in --out. --check exits 1 when a gateway was not held, a session was closed while
holding, or the clock round trips' p99 reached 1 s."""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "hostile"))
from controller import Controller, register_gateways  # noqa: E402


def register_fleet(controller, n):
    area = controller.add_commune()
    return sorted(register_gateways(controller, area, [f"gw-{i:05d}" for i in range(n)]).items())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateways", type=int, default=10_000)
    parser.add_argument("--bin", default=".build-release/release", help="directory of loa-controller and loa-bench")
    parser.add_argument("--heartbeat", type=int, default=10, help="the controller's gateways.heartbeat_seconds")
    parser.add_argument("--rate", type=int, default=200, help="connections a second in the ramp (0: all at once)")
    parser.add_argument("--hold", type=int, default=60)
    parser.add_argument("--churn", type=int, default=0, help="sessions closed and reconnected a second while holding")
    parser.add_argument("--health-seconds", type=int, default=900)
    parser.add_argument("--play-seconds", type=int, default=600)
    parser.add_argument("--storm", action="store_true", help="restart the controller after the hold; time the fleet's return")
    parser.add_argument("--source-addresses", type=int, default=8,
                        help="loa-bench's connections come from 127.0.0.2… (one address has ~28 000 ephemeral ports)")
    parser.add_argument("--state", help="a directory to keep the registered fleet in and reuse (saves registering again)")
    parser.add_argument("--out", default="Benchmarks/out/fleet-scale")
    parser.add_argument("--check", action="store_true", help="fail unless all were held, none closed, and p99 < 1 s")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.gateways + 200:
        sys.exit(f"fleet-scale: the open-file limit ({hard}) is too low for {args.gateways} gateways in one process")
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="loa-fleet-scale.")
    controller = Controller(os.path.join(args.bin, "loa-controller"), env={"LOA_CTL_GATEWAYS_HEARTBEAT_SECONDS": str(args.heartbeat)},
                            work=work, start=False)
    result = {"gateways": args.gateways, "heartbeat_s": args.heartbeat, "load_before": os.getloadavg()[0]}
    try:
        keys_file = os.path.join(work, "keys.txt")
        saved = args.state and os.path.exists(os.path.join(args.state, "keys.txt"))
        if saved:
            shutil.copytree(os.path.join(args.state, "state"), os.path.join(work, "state"))
            shutil.copy(os.path.join(args.state, "keys.txt"), keys_file)
            with open(os.path.join(args.state, "password")) as f:
                controller.password = f.read().strip()
        controller.start()
        controller.login()
        if not saved:
            started = time.monotonic()
            keys = register_fleet(controller, args.gateways)
            result["register_s"] = round(time.monotonic() - started, 1)
            with open(keys_file, "w") as f:
                f.writelines(f"{g} {s}\n" for g, s in keys)
            if args.state:
                controller.terminate()
                os.makedirs(args.state, exist_ok=True)
                shutil.rmtree(os.path.join(args.state, "state"), ignore_errors=True)
                shutil.copytree(os.path.join(work, "state"), os.path.join(args.state, "state"))
                shutil.copy(keys_file, os.path.join(args.state, "keys.txt"))
                with open(os.path.join(args.state, "password"), "w") as f:
                    f.write(controller.password)
                controller.start()
        with open(keys_file) as f:
            available = sum(1 for _ in f)
        if available < args.gateways:
            sys.exit(f"fleet-scale: {args.state} holds {available} gateways, fewer than {args.gateways}")
        time.sleep(1)
        bench = [os.path.join(args.bin, "loa-bench"), "--keys", keys_file, "--gateways", str(args.gateways),
                 "--port", str(controller.gateway_port), "--rate", str(args.rate), "--hold", str(args.hold),
                 "--churn", str(args.churn), "--clock-seconds", str(args.heartbeat),
                 "--health-seconds", str(args.health_seconds), "--play-seconds", str(args.play_seconds),
                 "--source-addresses", str(args.source_addresses), "--controller-pid-file", controller.pid_file] + (["--storm"] if args.storm else [])
        log_path = os.path.join(args.out, f"run-{args.gateways}-{time.strftime('%Y%m%dT%H%M%S')}.jsonl")
        summary = None
        with open(log_path, "w") as log:
            process = subprocess.Popen(bench, stdout=subprocess.PIPE, text=True)
            for line in process.stdout:
                log.write(line)
                log.flush()
                event = json.loads(line)
                if event.get("event") == "storm-armed":
                    stopped = controller.terminate()
                    result["restart_stop_s"] = round(stopped, 2) if stopped is not None else "over 60 s (killed)"
                    started = time.monotonic()
                    controller.start()
                    result["restart_start_s"] = round(time.monotonic() - started, 2)
                elif event.get("event") == "summary":
                    summary = event
            process.wait()
        if summary is None:
            sys.exit("fleet-scale: loa-bench gave no summary\n" + controller.log_tail())
        summary.pop("event", None)
        result.update(summary)
        result["load_after"] = os.getloadavg()[0]
        result["log"] = log_path
        print(json.dumps(result))
        if args.check:
            problems = []
            if summary.get("held_least", 0) < args.gateways:
                problems.append(f"held at least {summary.get('held_least')} of {args.gateways}")
            if summary.get("closed_in_hold", 0) > 0:
                problems.append(f"{summary['closed_in_hold']} sessions closed while holding ({summary.get('error_codes')})")
            if summary.get("rtt_p99_ms", 0) >= 1000:
                problems.append(f"clock round trip p99 {summary['rtt_p99_ms']} ms")
            if problems:
                sys.exit("fleet-scale: " + "; ".join(problems) + "\n" + controller.log_tail())
    finally:
        if controller.process and controller.process.poll() is None:
            controller.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
