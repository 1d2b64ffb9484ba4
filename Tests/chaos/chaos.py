"""The proof-of-play chaos test (issue 19): every scheduled occurrence ends in exactly one honest
terminal record, whatever kill -9 does to the gateways and the controller.

Starts a real loa-controller and 2–3 loa-gateways on loopback (each with a state directory that
survives its restarts), plays dense one-off schedules of 5–8 s bulletins through a private
PulseAudio null sink (paced in real time: a `type file` PCM is not, docs/shared AUDIO-FACTS),
SIGKILLs a random process at chosen moments (during a play, just before a start, right after a
play's end, twice in a row, down long enough for whole windows to pass), restarts it, and at the
end reads the whole as-played log from the API and checks each occurrence against the test's
own record of what it scheduled and when it killed what.

    python3 Tests/chaos/chaos.py --bin .build/debug --duration 150 --seed 19
    python3 Tests/chaos/chaos.py --bin .build/debug --duration 600 --min-kills 100 --gateways 3

Seeded: the seed and every kill are printed, so a failing run can be replayed (the moments are
drawn from the seed; the processes' own timing still varies a little). Exit 0: no violation;
1: violations (each listed with its events and the kills near it); 2: the harness itself could
not run (a daemon would not start, too few kills). Python 3 standard library only.
"""
import argparse
import array
import atexit
import heapq
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

TIME_ZONE = "Asia/Ho_Chi_Minh"      # the controller's default bulletins.time_zone
BULLETIN_SECONDS = (5.2, 6.3, 7.1, 7.9)
POLICIES = ("resume", "restart", "drop")
STARTS = {"started", "resumed"}
FINAL = {"finished", "dropped", "missed", "failed"}
TERMINAL = FINAL | {"interrupted"}
SLACK = 0.3          # seconds either side of a kill before it counts as inside a play
ALIVE_SLACK = 2.0    # a restart's `interrupted` is at the last alive mark, rewritten each second
OUTPUT_LATENCY = 0.3   # a play's `finished` comes this long after start + duration (ALSA buffer, PulseAudio)
RECOVERY_MARGIN = 4.0  # a restarted gateway is surely planning again this long after its spawn


class HarnessError(Exception):
    """The test could not run; not a finding about Loa."""


def say(text):
    print(text, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- processes

class Daemon:
    """One long-running process, restartable with the same command, environment and logs."""
    everyone = []

    def __init__(self, name, argv, env, log_path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.process = None
        self.starts = 0
        Daemon.everyone.append(self)

    def start(self):
        log = open(self.log_path, "a")
        log.write("\n==== chaos: start %d at %.3f\n" % (self.starts + 1, time.time()))
        log.flush()
        self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.starts += 1

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout=10):
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def stop_everything():
    for daemon in reversed(Daemon.everyone):
        try:
            daemon.stop(timeout=5)
        except Exception:  # noqa: BLE001 — cleanup must go on to the next one
            pass


def exit_on_signal(signum, _frame):
    say("\nchaos: signal %d, stopping every daemon" % signum)
    sys.exit(128 + signum)


def clean_environment():
    """The caller's LOA_* variables would reconfigure the daemons (LOA_CONTROLLER is a host list)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}


def start_pulse(work):
    """A private PulseAudio server with a null sink: ALSA's `pulse` PCM on it is paced in real time."""
    plugin = any(os.path.exists(d + "/alsa-lib/libasound_module_pcm_pulse.so")
                 for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"))
    if shutil.which("pulseaudio") is None or not plugin:
        raise HarnessError("needs the apt packages pulseaudio and libasound2-plugins (a paced ALSA output)")
    home = os.path.join(work, "pulse")
    os.makedirs(home)
    env = clean_environment()
    env.update(HOME=home, PULSE_RUNTIME_PATH=home + "/run", PULSE_STATE_PATH=home + "/state")
    native = home + "/native"
    daemon = Daemon("pulseaudio", [
        "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
        "--log-target=stderr", "-L", "module-null-sink sink_name=chaos",
        "-L", "module-native-protocol-unix socket=%s auth-anonymous=1" % native], env, os.path.join(work, "pulse.log"))
    daemon.start()
    for _ in range(100):
        if os.path.exists(native):
            return "unix:" + native
        if not daemon.alive():
            break
        time.sleep(0.1)
    raise HarnessError("pulseaudio did not start; see %s/pulse.log" % work)


# ---------------------------------------------------------------- the controller's API

class Api:
    def __init__(self, base):
        self.base, self.token = base, None

    def call(self, method, path, body=None, raw=None, content_type="application/json", retry_for=0.0):
        """JSON in, JSON out; retries connection failures for `retry_for` s (the controller may be restarting)."""
        deadline = time.monotonic() + retry_for
        while True:
            data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
            request = urllib.request.Request(self.base + path, data=data, method=method)
            request.add_header("Content-Type", content_type)
            if self.token:
                request.add_header("Authorization", "Bearer " + self.token)
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    text = response.read()
                return json.loads(text) if text else None
            except urllib.error.HTTPError as error:
                if error.code in (502, 503) and time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                raise HarnessError("%s %s: %d %s" % (method, path, error.code, error.read()[:300].decode(errors="replace")))
            except (OSError, http_errors()) as error:
                if time.monotonic() >= deadline:
                    raise HarnessError("%s %s: %s" % (method, path, error))
                time.sleep(0.3)

    def status(self, path):
        """The HTTP status of a GET, for feature detection."""
        request = urllib.request.Request(self.base + path)
        request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def pages(self, path, retry_for=30.0):
        """Every item of a paginated list (`next` is the cursor of the following page)."""
        items, cursor = [], None
        while True:
            separator = "&" if "?" in path else "?"
            page = self.call("GET", path + (separator + "cursor=" + urllib.parse.quote(cursor) if cursor else ""),
                             retry_for=retry_for)
            items += page["items"]
            cursor = page.get("next")
            if not cursor:
                return items


def http_errors():
    import http.client
    return http.client.HTTPException


def control(socket_path, request):
    """One request to a gateway's technician socket (docs/CONFIG-gateway.md, `[control]`); None if it is not up."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(3)
            s.connect(socket_path)
            s.sendall(json.dumps(request).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- the fleet

def tone_wav(seconds, frequency, rng):
    """24 kHz mono 16-bit WAV: a tone with a slow tremolo and a little noise (the controller normalises it)."""
    rate = 24000
    samples = array.array("h")
    for n in range(int(seconds * rate)):
        t = n / rate
        level = 0.3 * (0.7 + 0.3 * math.sin(2 * math.pi * 0.5 * t))
        samples.append(int(32767 * (level * math.sin(2 * math.pi * frequency * t) + rng.uniform(-0.02, 0.02))))
    body = samples.tobytes()
    header = b"RIFF" + (36 + len(body)).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
    header += (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little")
    header += (rate * 2).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    return header + b"data" + len(body).to_bytes(4, "little") + body


class Fleet:
    """The controller and the gateways as restartable daemons, configured like scripts/demo.sh."""

    def __init__(self, bin_dir, work, gateway_count, pulse_server):
        self.work = work
        self.gateway_port, self.http_port = free_port(), free_port()
        self.password = "chaos-%d" % os.getpid()
        self.api = Api("http://127.0.0.1:%d" % self.http_port)
        config = os.path.join(work, "controller.toml")
        with open(config, "w") as f:
            f.write(f"""[gateways]
listen_host = "127.0.0.1"
listen_port = {self.gateway_port}
heartbeat_seconds = 5
schedule_recheck_seconds = 2
[http]
listen = "127.0.0.1:{self.http_port}"
[state]
directory = "{work}/controller"
[bulletins]
approval_required = false
[log]
level = "info"
""")
        env = clean_environment()
        env["LOA_ADMIN_PASSWORD"] = self.password
        self.controller = Daemon("controller", [os.path.join(bin_dir, "loa-controller"), "--config", config],
                                 env, os.path.join(work, "controller.log"))
        self.gateway_ids = ["chaos-gw-%d" % (n + 1) for n in range(gateway_count)]
        self.gateways, self.sockets = {}, {}
        for gateway_id in self.gateway_ids:
            self.sockets[gateway_id] = os.path.join(work, gateway_id, "control.sock")
            self.gateways[gateway_id] = Daemon(
                gateway_id, [os.path.join(bin_dir, "loa-gateway"), "--config", self.write_gateway_config(gateway_id, pulse_server)],
                clean_environment(), os.path.join(work, gateway_id + ".log"))

    def write_gateway_config(self, gateway_id, pulse_server):
        state = os.path.join(self.work, gateway_id)
        os.makedirs(state)
        device = 'type pulse server "%s"' % pulse_server
        path = os.path.join(self.work, gateway_id + ".toml")
        with open(path, "w") as f:
            f.write(f"""[gateway]
id = "{gateway_id}"
secret_file = "{self.work}/{gateway_id}.secret"
state_directory = "{state}"
[controller]
hosts = ["127.0.0.1:{self.gateway_port}"]
tls = false
reconnect_base_ms = 500
reconnect_cap_seconds = 2
[audio]
pcm = "loapulse"
alsa_config = 'pcm.loapulse {{ {device} handle_underrun true }} ctl.loapulse {{ {device} }}'
[amplifier]
mode = "none"
[health]
interval_seconds = 10
[control]
socket = "{self.sockets[gateway_id]}"
group = ""
""")
        return path

    def daemon(self, name):
        return self.controller if name == "controller" else self.gateways[name]

    def start_controller(self):
        self.controller.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not self.controller.alive():
                raise HarnessError("loa-controller exited; see " + self.controller.log_path)
            try:
                urllib.request.urlopen(self.api.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise HarnessError("loa-controller did not answer /healthz")

    def register(self):
        self.api.token = self.api.call("POST", "/api/v1/login", {"username": "admin", "password": self.password})["token"]
        self.api.call("POST", "/api/v1/areas", {"id": "tinh-chaos", "name": "Tỉnh thử", "kind": "province"})
        self.api.call("POST", "/api/v1/areas", {"id": "xa-chaos", "name": "Xã thử", "kind": "commune", "parentId": "tinh-chaos"})
        for gateway_id in self.gateway_ids:
            created = self.api.call("POST", "/api/v1/gateways", {"id": gateway_id, "name": gateway_id, "areaId": "xa-chaos"})
            with open(os.path.join(self.work, gateway_id + ".secret"), "w") as f:
                f.write(created["secret"] + "\n")

    def upload_bulletins(self, rng):
        bulletins = []
        for n, seconds in enumerate(BULLETIN_SECONDS):
            title = urllib.parse.quote("Chaos %d (%.1f s)" % (n + 1, seconds))
            made = self.api.call("POST", "/api/v1/bulletins?title=" + title, raw=tone_wav(seconds, 330 + 110 * n, rng),
                                 content_type="audio/wav", retry_for=30)
            if made["state"] != "approved":
                made = self.api.call("POST", "/api/v1/bulletins/%s/approve" % made["sha256"])
            bulletins.append(made)
        return bulletins

    def online(self):
        listed = self.api.call("GET", "/api/v1/gateways?limit=1000", retry_for=30)["items"]
        return {g["id"] for g in listed if g["online"]}

    def wait_online(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.online() >= set(self.gateway_ids):
                return
            time.sleep(0.4)
        raise HarnessError("gateways not online after %d s: %s" % (timeout, sorted(set(self.gateway_ids) - self.online())))


# ---------------------------------------------------------------- what the test scheduled

@dataclass
class Occurrence:
    gateway: str
    item: str
    rule: int
    start: float
    duration: float
    policy: str
    bulletin: str

    @property
    def end(self):
        return self.start + self.duration


def schedule_everything(fleet, bulletins, first, last, rng):
    """One-off entries per gateway every 15–20 s from `first` to `last`, rotating the onInterrupt policies."""
    zone = ZoneInfo(TIME_ZONE)
    occurrences = []
    for index, gateway_id in enumerate(fleet.gateway_ids):
        at = math.floor(first + index * 17.0 / len(fleet.gateway_ids))
        n = 0
        while at <= last:
            bulletin = bulletins[rng.randrange(len(bulletins))]
            policy = POLICIES[(n + index) % len(POLICIES)]
            local = datetime.fromtimestamp(at, zone)
            entry = fleet.api.call("POST", "/api/v1/schedules", {
                "bulletin": bulletin["sha256"], "gateways": [gateway_id], "recurrence": "once",
                "at": local.strftime("%H:%M:%S"), "from": local.strftime("%Y-%m-%d"), "onInterrupt": policy})
            occurrences.append(Occurrence(gateway_id, "rule-%d@%d#0" % (entry["id"], at), entry["id"], float(at),
                                          bulletin["durationMs"] / 1000.0, policy, bulletin["sha256"]))
            at += rng.randint(15, 20)
            n += 1
    return sorted(occurrences, key=lambda o: o.start)


def wait_for_schedules(fleet, occurrences, timeout=60):
    """Kill nothing before each gateway holds its whole schedule with the content cached."""
    wanted = defaultdict(set)
    for o in occurrences:
        wanted[o.gateway].add(o.item)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = True
        for gateway_id, items in wanted.items():
            answer = control(fleet.sockets[gateway_id], {"command": "schedule", "count": 500})
            plays = (answer or {}).get("schedule", {}).get("plays", [])
            have = {p["itemId"] for p in plays if p.get("cached")}
            if not items <= have:
                ready = False
        if ready:
            return
        time.sleep(0.5)
    raise HarnessError("gateways did not receive their schedules and content within %d s" % timeout)


# ---------------------------------------------------------------- the kills

@dataclass
class Kill:
    number: int
    target: str
    at: float
    down: float
    moment: str
    restarted: float = None


@dataclass(order=True)
class Action:
    at: float
    seq: int
    kind: str = field(compare=False)          # "kill" or "restart"
    target: str = field(compare=False)
    down: float = field(compare=False, default=0.0)
    moment: str = field(compare=False, default="")
    twice: int = field(compare=False, default=0)  # 1: kill again 1–2 s after its restart; 2: that second kill
    keeps: tuple = field(compare=False, default=None)  # (gateway, from, to): an at-end kill needs that gateway up then


class KillPlan:
    """Draws the next kill from the seed: a moment relative to the scheduled plays, a target, a down time."""
    MOMENTS = (("during-play", 30), ("before-start", 20), ("window-passes", 15),
               ("anytime", 15), ("twice", 20))

    def __init__(self, rng, occurrences, gateways, mean_gap, longest):
        self.rng, self.occurrences, self.gateways = rng, occurrences, gateways
        self.mean_gap, self.longest = mean_gap, longest

    def down_time(self):
        roll = self.rng.random()
        if roll < 0.45:
            return self.rng.uniform(0.2, 1.5)
        if roll < 0.8:
            return self.rng.uniform(1.5, 5.0)
        return self.rng.uniform(self.longest + 1, self.longest + 10)  # longer than a bulletin

    def next_play(self, gateway_ids, after, key):
        """The first occurrence on one of `gateway_ids` whose `key` moment is after `after`."""
        later = [o for o in self.occurrences if o.gateway in gateway_ids and key(o) > after]
        return min(later, key=key) if later else None

    def draw(self, now, up_at):
        """The next kill after `now`; `up_at(target, t)` says whether a target is free to kill at t.
        A moment tied to a play further ahead than `reach` becomes an `anytime` kill instead.
        (The controller's kills at a play's end are planned up front: `Chaos.plan_at_end`.)"""
        earliest = now + self.rng.uniform(0.3, 2 * self.mean_gap - 0.3)
        reach = earliest + 2 * self.mean_gap + 4
        names, weights = zip(*self.MOMENTS)
        moment = self.rng.choices(names, weights)[0]
        gateways = self.gateways[:]
        self.rng.shuffle(gateways)
        down = self.down_time()
        for gateway in gateways:
            if moment == "during-play":
                o = self.next_play([gateway], earliest, lambda o: o.start + 0.5)
                at = o and o.start + self.rng.uniform(0.5, o.duration - 0.5)
            elif moment == "before-start":
                o = self.next_play([gateway], earliest + 1, lambda o: o.start)
                at = o and o.start - self.rng.uniform(0.0, 1.0)
            elif moment == "window-passes":
                o = self.next_play([gateway], earliest + 3, lambda o: o.start)
                at = o and o.start - self.rng.uniform(0.5, 3.0)
            else:
                break
            if o and at < reach and up_at(gateway, at):
                if moment == "window-passes":
                    down = (o.end - at) + self.rng.uniform(1.0, 4.0)
                return Action(at, 0, "kill", gateway, down, moment + " " + o.item)
        targets = [t for t in ["controller"] + self.gateways if up_at(t, earliest)]
        if not targets:
            return None
        target = self.rng.choice(targets)
        if moment == "twice":
            return Action(earliest, 0, "kill", target, self.rng.uniform(0.2, 1.5), "twice (1 of 2)", twice=1)
        if target == "controller":
            down = min(down, 4.0)  # long enough for every gateway to notice; short enough to leave the at-end kills their moment
        return Action(earliest, 0, "kill", target, down, "anytime")


class Chaos:
    """Runs the kill plan against the fleet; keeps the timeline (kills, down intervals, crashes)."""

    def __init__(self, fleet, plan, rng, t0):
        self.fleet, self.plan, self.rng, self.t0 = fleet, plan, rng, t0
        self.kills, self.crashes = [], []
        self.queue, self.seq = [], 0
        self.down_until = {}  # target -> planned restart time while it is down
        self.lanes = 2        # kills planned at once, so moments tied to plays far apart still come often

    def rel(self, t):
        return t - self.t0

    def push(self, action):
        self.seq += 1
        action.seq = self.seq
        heapq.heappush(self.queue, action)

    def up_at(self, target, t):
        """Free to kill at t: running by then, no kill of it planned near t (an at-end kill's
        reservation included), and not kept up for an at-end kill."""
        planned = any(a.kind == "kill" and a.target == target and a.at - 6 < t < a.at + a.down + 2
                      or a.kind == "kill" and a.target == target and not a.keeps for a in self.queue)
        kept = any(a.keeps and a.keeps[0] == target and a.keeps[1] - 5 <= t <= a.keeps[2] + 2 for a in self.queue)
        return not planned and not kept and self.down_until.get(target, 0) < t - 0.5

    def plan_at_end(self, until):
        """Every third play: the controller killed right after its end — the gateway's `finished`
        on its way or stored, its acknowledgement not yet sent — with that gateway kept running
        through the play, so that it does end."""
        for o in self.plan.occurrences[1::3]:
            at = o.end + OUTPUT_LATENCY + self.rng.uniform(0.0, 0.1)
            if at < until:
                self.push(Action(at, 0, "kill", "controller", self.rng.uniform(0.2, 3.0), "at-end " + o.item,
                                 keeps=(o.gateway, o.start - 6, o.end + 1)))

    def plan_more(self, now, until):
        """Keeps `lanes` kills planned (a `twice` pair counts as one, until its second kill)."""
        while sum(1 for a in self.queue if a.kind == "kill" and not a.keeps) < self.lanes:
            action = self.plan.draw(now, self.up_at)
            if action is None or action.at >= until:
                return
            self.push(action)

    def run(self, until):
        """Kills until `until`, then waits for the last restarts."""
        self.plan_at_end(until)
        self.plan_more(time.time(), until)
        while self.queue:
            action = self.queue[0]
            self.watch_for_crashes()
            wait = action.at - time.time()
            if wait > 0:
                time.sleep(min(wait, 0.2))
                if sum(1 for a in self.queue if a.kind == "kill" and not a.keeps) < self.lanes:
                    self.plan_more(time.time(), until)
                continue
            heapq.heappop(self.queue)
            if action.kind == "restart":
                self.restart(action.target, action.twice)
            elif self.kill(action) and action.twice == 1:
                continue  # its restart plans the second kill
            self.plan_more(time.time(), until)

    def kill(self, action):
        daemon = self.fleet.daemon(action.target)
        if not daemon.alive() or action.target in self.down_until:
            say("  t=%7.2f  skip      %-11s (%s): already down" % (self.rel(time.time()), action.target, action.moment))
            return False
        daemon.kill()
        now = time.time()
        kill = Kill(len(self.kills) + 1, action.target, now, action.down, action.moment)
        self.kills.append(kill)
        self.down_until[action.target] = now + action.down
        say("  t=%7.2f  kill #%-3d %-11s down %5.2f s (until t=%7.2f)  %s" % (
            self.rel(now), kill.number, action.target, action.down, self.rel(now + action.down), action.moment))
        self.push(Action(now + action.down, 0, "restart", action.target, twice=action.twice))
        return True

    def restart(self, target, twice=0):
        self.fleet.daemon(target).start()
        now = time.time()
        next(k for k in reversed(self.kills) if k.target == target).restarted = now
        self.down_until.pop(target, None)
        if twice == 1:
            self.push(Action(now + self.rng.uniform(1.0, 2.0), 0, "kill", target, self.rng.uniform(0.2, 3.0),
                             "twice (2 of 2, 1-2 s after its restart)", twice=2))

    def watch_for_crashes(self):
        """A daemon that died without being killed is a finding too: note it and start it again."""
        for name in ["controller"] + self.fleet.gateway_ids:
            daemon = self.fleet.daemon(name)
            if name not in self.down_until and not daemon.alive():
                code = daemon.process.returncode
                now = time.time()
                self.crashes.append((name, now, code))
                say("  t=%7.2f  CRASH %s exited by itself (status %s); restarting" % (self.rel(now), name, code))
                daemon.start()

    def restore(self):
        """Starts whatever is still down (the last restarts of the run)."""
        while self.down_until:
            target = min(self.down_until, key=self.down_until.get)
            time.sleep(max(0.0, self.down_until[target] - time.time()))
            self.restart(target)
        self.watch_for_crashes()

    def down_intervals(self, target):
        return [(k.at, k.restarted) for k in self.kills if k.target == target]


# ---------------------------------------------------------------- the as-played log

@dataclass
class Event:
    kind: str
    at: float
    order: int          # position in the log, oldest first (the API's order breaks ties in `at`)
    raw: dict

    @property
    def detail(self):
        return self.raw.get("detail")


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def settle(fleet, chaos, quiet_seconds=6.0, timeout=120):
    """Everything up and online, every outbox empty, and the play log no longer growing."""
    chaos.restore()
    fleet.wait_online(timeout=60)
    deadline = time.monotonic() + timeout
    last_count, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        chaos.watch_for_crashes()
        pending = 0
        for gateway_id in fleet.gateway_ids:
            answer = control(fleet.sockets[gateway_id], {"command": "status"})
            pending += answer["status"]["outboxPending"] if answer and answer.get("ok") else 1
        count = len(fleet.api.pages("/api/v1/play-log?limit=1000"))
        if count != last_count or pending:
            last_count, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_seconds:
            return count
        time.sleep(1.0)
    raise HarnessError("the play log did not settle within %d s (outboxes still pending?)" % timeout)


def read_play_log(fleet):
    items = fleet.api.pages("/api/v1/play-log?limit=1000")
    if any("sequence" in item for item in items):
        items.sort(key=lambda item: (item["at"], item["sequence"]))
    else:
        items.reverse()  # newest first, by (at, sequence): reversed it is oldest first
    events = defaultdict(list)
    for order, item in enumerate(items):
        events[(item["gatewayId"], item["itemId"])].append(Event(item["kind"], parse_time(item["at"]), order, item))
    for life in events.values():
        life.sort(key=lambda e: (e.at, e.order))
    return events


def read_outcomes(fleet):
    """GET /api/v1/play-log/outcomes when the controller has it (one row per occurrence); else None."""
    if fleet.api.status("/api/v1/play-log/outcomes?limit=1") != 200:
        return None
    rows = defaultdict(list)
    for row in fleet.api.pages("/api/v1/play-log/outcomes?limit=1000"):
        rows[(row.get("gatewayId"), row.get("itemId"))].append(row)
    return rows


# ---------------------------------------------------------------- the checks

@dataclass
class Violation:
    check: str
    message: str
    occurrence: Occurrence = None
    gateway: str = None


def segments(life):
    """(start event, closing event or None) for each sounding stretch, in order."""
    found, opened = [], None
    for event in life:
        if event.kind in STARTS:
            if opened is not None:
                found.append((opened, None))
            opened = event
        elif opened is not None and event.kind in ("finished", "interrupted", "failed"):
            found.append((opened, event))
            opened = None
    if opened is not None:
        found.append((opened, None))
    return found


def is_missed(life, details=True):
    """The one record of a play that never happened; returns the form it took, or None. The
    gateway sends missed as `dropped` with detail `missed …`; a controller that does not map it
    to kind `missed` and an API without `detail` leave a bare `dropped`."""
    if len(life) != 1:
        return None
    event = life[0]
    if event.kind == "missed":
        return "missed"
    if event.kind == "dropped" and (event.detail or "").startswith("missed"):
        return "dropped with detail missed"
    if event.kind == "dropped" and not details:
        return "dropped (the API shows no detail)"
    return None


def check_life(o, life):
    """Absent, terminal and duplicate checks of one occurrence's events."""
    out = []
    if not life:
        return [Violation("absent", "no event at all", o)]
    kinds = [e.kind for e in life]
    if kinds[-1] not in TERMINAL:
        out.append(Violation("terminal", "last event is '%s', not a terminal record" % kinds[-1], o))
    finals = [i for i, k in enumerate(kinds) if k in FINAL]
    if len(finals) > 1 or (finals and finals[-1] != len(kinds) - 1):
        out.append(Violation("terminal", "%d final records (%s), or one that is not last" %
                             (len(finals), ", ".join(kinds[i] for i in finals)), o))
    opened, sounded = False, False
    for e in life:
        if e.kind in STARTS:
            if opened:
                out.append(Violation("duplicate", "'%s' while the previous start was never closed" % e.kind, o))
            opened = sounded = True
        elif e.kind in ("finished", "interrupted", "failed"):
            if not opened and e.kind != "failed":
                out.append(Violation("duplicate", "'%s' with no open start (closed twice?)" % e.kind, o))
            opened = False
        elif e.kind in ("missed", "dropped") and sounded:
            out.append(Violation("honest", "'%s' after the occurrence had sounded" % e.kind, o))
    seen = Counter((e.kind, round(e.at, 3)) for e in life)
    for (kind, at), n in seen.items():
        if n > 1:
            out.append(Violation("duplicate", "%d '%s' events at the same instant" % (n, kind), o))
    ids = Counter(e.raw.get("eventId") for e in life)
    for event_id, n in ids.items():
        if n > 1:
            out.append(Violation("duplicate", "event id %s stored %d times" % (event_id, n), o))
    return out


def check_kills(o, life, gateway_kills, details):
    """The log against the kill timeline of this occurrence's gateway."""
    out = []
    for start, close in segments(life):
        if close is None or close.kind != "finished":
            continue
        for k in gateway_kills:
            if start.at + SLACK < k.at < close.at - SLACK:
                out.append(Violation("timeline", "'finished' at %.2f across kill #%d at %.2f (segment from %.2f)" %
                                     (close.at, k.number, k.at, start.at), o))
    for k in gateway_kills:
        sounding = [(s, c) for s, c in segments(life) if s.at < k.at - SLACK]
        if not sounding:
            continue
        start, close = sounding[-1]
        if close is None:
            out.append(Violation("timeline", "sounding at kill #%d (%.2f) and never closed" % (k.number, k.at), o))
        elif close.kind == "interrupted":
            if close.at >= k.at - ALIVE_SLACK and details and "by=gateway-restart" not in (close.detail or ""):
                out.append(Violation("timeline", "cut by kill #%d but its interrupted says %r" % (k.number, close.detail), o))
        elif close.at > k.at + SLACK and close.kind != "finished":  # finished across a kill: flagged above
            out.append(Violation("timeline", "cut by kill #%d at %.2f but closed by %s at %.2f" %
                                 (k.number, k.at, close.kind, close.at), o))
    for e in life:
        if e.kind == "interrupted" and not any(e.at - 1.5 <= k.at <= e.at + 3.0 for k in gateway_kills):
            out.append(Violation("honest", "'interrupted' at %.2f (%s) with no kill of %s just after it" %
                                 (e.at, e.detail or "no detail", o.gateway), o))
    return out


def check_recovery(o, life, downs, details):
    """Whole windows inside one outage are missed; plays the restart finds still sounding follow onInterrupt."""
    out, form = [], None
    for n, (down, up) in enumerate(downs):
        # Killed again before it could plan (debug start-up and the amplifier pre-roll): no
        # policy can act in that life; the next one is checked in its turn.
        again = downs[n + 1][0] if n + 1 < len(downs) else None
        stays_up = again is None or again > up + RECOVERY_MARGIN
        if down + SLACK < o.start and o.end < up - SLACK:
            form = is_missed(life, details)
            if form is None:
                out.append(Violation("missed", "whole window inside the outage %.2f–%.2f but logged %s" %
                                     (down, up, [e.kind for e in life]), o))
        elif down < o.end and o.start < up and up + RECOVERY_MARGIN < o.end and stays_up:
            after = [e for e in life if e.at >= up - SLACK]
            kinds = [e.kind for e in after]
            if o.policy == "resume" and "resumed" not in kinds and "started" not in kinds:
                out.append(Violation("policy", "resume: back at %.2f, window open till %.2f, but no resumed/started after" % (up, o.end), o))
            if o.policy == "restart" and "started" not in kinds:
                out.append(Violation("policy", "restart: back at %.2f, window open till %.2f, but no started after" % (up, o.end), o))
            if o.policy == "drop" and any(k in STARTS for k in kinds):
                out.append(Violation("policy", "drop: sounded again after the restart at %.2f" % up, o))
    return out, form


def check_outcomes(o, life, rows, details):
    if rows is None:
        return []
    mine = rows.get((o.gateway, o.item), [])
    if len(mine) != 1:
        return [Violation("outcomes", "%d rows in /play-log/outcomes" % len(mine), o)]
    outcome = mine[0].get("outcome")
    last = life[-1].kind if life else None
    if last and outcome != last and not (outcome == "missed" and is_missed(life, details)):
        return [Violation("outcomes", "outcome %r but the last event is %r" % (outcome, last), o)]
    return []


def check_all(occurrences, events, chaos, gateway_ids, outcome_rows):
    details = any(e.detail is not None for life in events.values() for e in life)
    violations, missed_forms, windows_missed = [], Counter(), 0
    for o in occurrences:
        life = events.get((o.gateway, o.item), [])
        gateway_kills = [k for k in chaos.kills if k.target == o.gateway]
        violations += check_life(o, life)
        violations += check_kills(o, life, gateway_kills, details)
        found, form = check_recovery(o, life, chaos.down_intervals(o.gateway), details)
        violations += found
        if form:
            missed_forms[form] += 1
            windows_missed += 1
        violations += check_outcomes(o, life, outcome_rows, details)
    scheduled = {(o.gateway, o.item) for o in occurrences}
    for (gateway, item), life in sorted(events.items()):
        if gateway in gateway_ids and (gateway, item) not in scheduled:
            violations.append(Violation("unscheduled", "%s: %d events for item %s, which the test never scheduled (%s)" %
                                        (gateway, len(life), item, [e.kind for e in life]), gateway=gateway))
    for name, at, code in chaos.crashes:
        violations.append(Violation("crash", "%s exited by itself at %.2f (status %s)" % (name, at, code), gateway=name))
    return violations, details, missed_forms, windows_missed


def check_schedules_kept(fleet, occurrences):
    listed = {entry["id"] for entry in fleet.api.pages("/api/v1/schedules?limit=1000")}
    lost = sorted({o.rule for o in occurrences} - listed)
    return [Violation("lost-write", "schedule %d created through the API is no longer listed" % r) for r in lost]


# ---------------------------------------------------------------- the report

def describe(o, life, chaos):
    t = chaos.rel
    lines = ["    %s on %s: rule %d, %s, %.2f–%.2f (%.1f s)" % (o.item, o.gateway, o.rule, o.policy, t(o.start), t(o.end), o.duration)]
    for e in life:
        extra = " ".join("%s=%s" % (k, e.raw[k]) for k in ("detail", "origin", "positionMs") if e.raw.get(k) not in (None, 0))
        lines.append("      t=%7.2f  %-11s %s  (event %s)" % (t(e.at), e.kind, extra, e.raw.get("eventId", "")[:8]))
    near = [k for k in chaos.kills if k.target in (o.gateway, "controller") and o.start - 25 < k.at < o.end + 25]
    for k in near:
        lines.append("      kill #%d %-11s t=%7.2f, back t=%7.2f  (%s)" % (
            k.number, k.target, t(k.at), t(k.restarted) if k.restarted else float("nan"), k.moment))
    return "\n".join(lines)


def at_end_landing(chaos, events):
    """Where the controller kills aimed at a play's end fell relative to its `finished` event."""
    finished = {item: e.at for (_, item), life in events.items() for e in life if e.kind == "finished"}
    offsets = [k.at - finished[k.moment.split(" ")[1]] for k in chaos.kills
               if k.moment.startswith("at-end") and k.moment.split(" ")[1] in finished]
    if not offsets:
        return "none landed near a finished play"
    window = sum(1 for d in offsets if 0 <= d <= 0.1)
    return "%d with a finished play: %d within 0–100 ms after its finished, %d before it, %d later (offsets %.0f…%.0f ms)" % (
        len(offsets), window, sum(1 for d in offsets if d < 0), sum(1 for d in offsets if d > 0.1),
        min(offsets) * 1000, max(offsets) * 1000)


def report(occurrences, events, chaos, violations, details, missed_forms, windows_missed, outcome_rows, runtime):
    outcomes = Counter()
    for o in occurrences:
        life = events.get((o.gateway, o.item), [])
        outcomes[life[-1].kind if life else "absent"] += 1
    by_target = Counter("controller" if k.target == "controller" else "gateway" for k in chaos.kills)
    per_gateway = Counter(k.target for k in chaos.kills if k.target != "controller")
    moments = Counter(k.moment.split(" ")[0] for k in chaos.kills)
    say("== summary (seed %d)" % chaos.seed)
    say("occurrences:  %d on %d gateways (%s)" % (len(occurrences), len(per_gateway) or len(set(o.gateway for o in occurrences)),
                                               ", ".join("%s %d" % kv for kv in sorted(Counter(o.policy for o in occurrences).items()))))
    say("kills:        %d (controller %d, gateways %d: %s)" % (len(chaos.kills), by_target["controller"], by_target["gateway"],
                                                            ", ".join("%s %d" % kv for kv in sorted(per_gateway.items()))))
    say("moments:      " + ", ".join("%s %d" % kv for kv in sorted(moments.items())))
    say("outcomes:     " + ", ".join("%s %d" % kv for kv in sorted(outcomes.items())))
    say("events:       %d for scheduled occurrences; detail field %s; outcomes endpoint %s" % (
        sum(len(events.get((o.gateway, o.item), [])) for o in occurrences), "present" if details else "absent",
        "present" if outcome_rows is not None else "absent"))
    say("whole windows inside an outage: %d, logged as %s" % (
        windows_missed, ", ".join("%s %d" % kv for kv in sorted(missed_forms.items())) or "-"))
    say("at-end kills: " + at_end_landing(chaos, events))
    say("crashes:      %d" % len(chaos.crashes))
    say("violations:   %d%s" % (len(violations), " (" + ", ".join("%s %d" % kv for kv in sorted(Counter(v.check for v in violations).items())) + ")" if violations else ""))
    say("runtime:      %.0f s" % runtime)
    for v in violations:
        say("  VIOLATION [%s] %s" % (v.check, v.message))
        if v.occurrence:
            say(describe(v.occurrence, events.get((v.occurrence.gateway, v.occurrence.item), []), chaos))


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/debug", help="directory of loa-controller and loa-gateway")
    parser.add_argument("--duration", type=float, default=150, help="seconds of kills")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--gateways", type=int, default=2, choices=(2, 3))
    parser.add_argument("--min-kills", type=int, default=30, help="fewer kills is a harness failure")
    parser.add_argument("--lead", type=float, default=20, help="seconds from setup to the first play")
    parser.add_argument("--settle", type=float, default=8, help="seconds after the last play's end before reading the log")
    parser.add_argument("--work", help="work directory (default: a fresh one under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory after a passing run")
    args = parser.parse_args()

    started = time.time()
    work = args.work or tempfile.mkdtemp(prefix="loa-chaos.")
    os.makedirs(work, exist_ok=True)
    atexit.register(stop_everything)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, exit_on_signal)
    rng = random.Random(args.seed)
    say("== chaos: seed %d, %d gateways, %.0f s of kills, work dir %s" % (args.seed, args.gateways, args.duration, work))
    try:
        code = run(args, work, rng, started)
    except HarnessError as error:
        say("chaos: harness failure: %s" % error)
        code = 2
    stop_everything()
    if code == 0 and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        say("daemon logs, databases and the kill timeline: %s" % work)
    return code


def run(args, work, rng, started):
    bin_dir = os.path.abspath(args.bin)
    for name in ("loa-controller", "loa-gateway"):
        if not os.access(os.path.join(bin_dir, name), os.X_OK):
            raise HarnessError("no %s in %s" % (name, bin_dir))
    fleet = Fleet(bin_dir, work, args.gateways, start_pulse(work))
    fleet.start_controller()
    fleet.register()
    bulletins = fleet.upload_bulletins(rng)
    for daemon in fleet.gateways.values():
        daemon.start()
    fleet.wait_online()
    t0 = time.time()
    first, last = t0 + args.lead, t0 + args.lead + args.duration - 5
    occurrences = schedule_everything(fleet, bulletins, first, last, rng)
    wait_for_schedules(fleet, occurrences)
    say("== setup %.1f s: %d bulletins (%s s), %d occurrences from t=%.1f to t=%.1f (t=0 is %s)" % (
        t0 - started, len(bulletins), ", ".join("%.2f" % (b["durationMs"] / 1000) for b in bulletins), len(occurrences),
        occurrences[0].start - t0, occurrences[-1].start - t0, datetime.fromtimestamp(t0, timezone.utc).isoformat()))
    for o in occurrences:
        say("  plan %-24s %-11s t=%7.2f–%7.2f  %s" % (o.item, o.gateway, o.start - t0, o.end - t0, o.policy))

    longest = max(b["durationMs"] for b in bulletins) / 1000
    chaos = Chaos(fleet, None, rng, t0)
    mean_gap = chaos.lanes * args.duration / (args.min_kills * 2.0)
    chaos.plan = KillPlan(rng, occurrences, fleet.gateway_ids, mean_gap=mean_gap, longest=longest)
    chaos.seed = args.seed
    say("== kills (seed %d)" % args.seed)
    chaos.run(until=first - 5 + args.duration)
    chaos.restore()
    say("== settling: all up; waiting for the last play (t=%.1f) + %.0f s and for the outboxes" % (
        max(o.end for o in occurrences) - t0, args.settle))
    while time.time() < max(o.end for o in occurrences) + args.settle:
        chaos.watch_for_crashes()
        time.sleep(0.5)
    settle(fleet, chaos)

    events = read_play_log(fleet)
    outcome_rows = read_outcomes(fleet)
    violations, details, missed_forms, windows_missed = check_all(occurrences, events, chaos, fleet.gateway_ids, outcome_rows)
    violations += check_schedules_kept(fleet, occurrences)
    write_timeline(work, args, chaos, occurrences, events)
    report(occurrences, events, chaos, violations, details, missed_forms, windows_missed, outcome_rows, time.time() - started)
    if len(chaos.kills) < args.min_kills:
        raise HarnessError("only %d kills, fewer than --min-kills %d" % (len(chaos.kills), args.min_kills))
    return 1 if violations else 0


def write_timeline(work, args, chaos, occurrences, events):
    """Everything the checks saw, as JSON, for replaying a failure by hand."""
    with open(os.path.join(work, "timeline.json"), "w") as f:
        json.dump({
            "seed": args.seed, "t0": chaos.t0,
            "kills": [vars(k) for k in chaos.kills], "crashes": chaos.crashes,
            "occurrences": [vars(o) for o in occurrences],
            "events": {"%s %s" % key: [e.raw for e in life] for key, life in events.items()},
        }, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
