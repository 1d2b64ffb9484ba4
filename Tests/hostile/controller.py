"""Starts a real loa-controller process on loopback (fresh state directory) and talks to its
HTTP API, for the hostile-client suite and the fleet benchmarks."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Controller:
    """loa-controller on loopback with its own state directory (`work`: a fresh one unless given,
    e.g. a kept fleet's) and fixed ports, so it can be stopped and started again on the same
    state. `start=False` leaves the first start (and login) to the caller."""

    def __init__(self, binary, env=None, log_level="warning", work=None, start=True):
        self.binary = binary
        self.work = work or tempfile.mkdtemp(prefix="loa-hostile.")
        self.http_port, self.gateway_port = free_port(), free_port()
        self.password = "hostile-%d" % os.getpid()
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        self.environment.update({
            "LOA_CTL_STATE_DIRECTORY": os.path.join(self.work, "state"),
            "LOA_CTL_GATEWAYS_LISTEN_HOST": "127.0.0.1",
            "LOA_CTL_GATEWAYS_LISTEN_PORT": str(self.gateway_port),
            "LOA_CTL_HTTP_LISTEN": "127.0.0.1:%d" % self.http_port,
            "LOA_CTL_LOG_LEVEL": log_level,
        })
        self.environment.update(env or {})
        self.stderr_path = os.path.join(self.work, "controller.err")
        # The running process's pid, replaced atomically at each start (loa-bench follows it).
        self.pid_file = os.path.join(self.work, "controller.pid")
        self.base = "http://127.0.0.1:%d" % self.http_port
        self.token = None
        self.process = None
        if start:
            self.start()
            self.login()

    def start(self):
        """Starts the process (the admin password is `self.password`) and waits for /healthz."""
        environment = dict(self.environment, LOA_ADMIN_PASSWORD=self.password)
        self.process = subprocess.Popen([self.binary], env=environment, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=open(self.stderr_path, "a"))
        with open(self.pid_file + ".tmp", "w") as f:
            f.write(str(self.process.pid))
        os.replace(self.pid_file + ".tmp", self.pid_file)
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("loa-controller exited: " + self.log_tail())
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("loa-controller did not answer /healthz")

    def login(self):
        self.token = self.request("POST", "/api/v1/login", {"username": "admin", "password": self.password})["token"]

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else None

    def add_commune(self, commune="xa-thu", district="huyen-thu", province="tinh-thu"):
        self.request("POST", "/api/v1/areas", {"id": province, "name": "Tỉnh thử", "kind": "province"})
        self.request("POST", "/api/v1/areas", {"id": district, "name": "Huyện thử", "kind": "district", "parentId": province})
        self.request("POST", "/api/v1/areas", {"id": commune, "name": "Xã thử", "kind": "commune", "parentId": district})
        return commune

    def add_gateway(self, gateway_id, area):
        """Registers a gateway; returns its handshake key (the UTF-8 bytes of the base64 secret)."""
        created = self.request("POST", "/api/v1/gateways", {"id": gateway_id, "name": gateway_id, "areaId": area})
        return created["secret"].encode()

    def rss_kib(self):
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def log_tail(self, lines=30):
        try:
            with open(self.stderr_path) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def alive(self):
        return self.process.poll() is None

    def terminate(self, timeout=60):
        """SIGTERM; returns the seconds until the process exited."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        return time.monotonic() - started

    def cleanup(self):
        if self.alive():
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)


def register_gateways(controller, area, ids, connections=4):
    """Registers `ids` in `area` through the API over `connections` HTTP connections at once;
    returns {gateway id: its secret (base64 text)}."""
    secrets, lock = {}, threading.Lock()

    def register(part):
        conn = http.client.HTTPConnection("127.0.0.1", controller.http_port, timeout=60)
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + controller.token}
        for gateway_id in part:
            conn.request("POST", "/api/v1/gateways", json.dumps({"id": gateway_id, "name": gateway_id, "areaId": area}), headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                raise RuntimeError(f"registering {gateway_id}: {response.status} {body[:200]}")
            with lock:
                secrets[gateway_id] = json.loads(body)["secret"]
        conn.close()

    threads = [threading.Thread(target=register, args=(ids[i::connections],)) for i in range(connections)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    missing = len(ids) - len(secrets)
    if missing:
        raise RuntimeError(f"{missing} of {len(ids)} gateways not registered (see the errors above)")
    return secrets
