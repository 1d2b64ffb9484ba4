"""The hostile-client suite (issue 13): a real loa-controller on loopback, and a client written
from docs/PROTOCOL.md alone that sends each class of bad frame and checks the documented error
code, then checks that a legitimate gateway from the same address still gets in.

    python3 Tests/hostile/test_hostile.py [path/to/loa-controller]

Exits non-zero when any case fails. Part of README's test command (scripts/test-hostile.sh)."""
import asyncio
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from controller import Controller  # noqa: E402
import loawire as w  # noqa: E402

HOST = "127.0.0.1"
HEARTBEAT = 5


class Suite:
    def __init__(self, controller):
        self.c = controller
        self.port = controller.gateway_port
        self.results = []
        self.area = controller.add_commune()
        self.legit = {}

    def gateway(self, gateway_id):
        if gateway_id not in self.legit:
            self.legit[gateway_id] = self.c.add_gateway(gateway_id, self.area)
        return self.legit[gateway_id]

    def record(self, name, ok, detail):
        self.results.append((name, ok, detail))
        print(("ok    " if ok else "FAIL  ") + name + ("" if ok else "  — " + detail), flush=True)

    async def legit_gets_in(self, gateway_id="xa-thu-hop-le"):
        conn = await w.Connection.open(HOST, self.port)
        try:
            outcome, detail = await w.handshake(conn, gateway_id, self.gateway(gateway_id))
            return outcome == "ready", f"{outcome} {detail}"
        finally:
            conn.close()

    async def expect_error(self, name, code, send, then_closed=True, timeout=20):
        """Opens a connection, runs `send(conn)`, expects an error frame with `code` and a close,
        then a legitimate handshake from the same address."""
        conn = await w.Connection.open(HOST, self.port)
        try:
            try:
                await asyncio.wait_for(send(conn), 5)
            except (ConnectionError, asyncio.TimeoutError):
                pass  # the controller refused before taking everything; its error frame is still readable
            error = await conn.read_error(timeout)
            closed = await conn.closed_by_peer(5) if then_closed else True
        except (ConnectionError, OSError) as e:
            error, closed = None, True
            self.record(name, False, f"connection error {e!r}")
            return None
        finally:
            conn.close()
        got = error.get("code") if error else None
        ok = got == code and closed
        detail = f"expected error {code} ({w.ERROR_NAMES.get(code)}) and a close, got {error}, closed={closed}"
        legit_ok, legit_detail = await self.legit_gets_in()
        self.record(name, ok and legit_ok, detail if not ok else f"legitimate gateway refused afterwards: {legit_detail}")
        return error

    async def run(self):
        gid = "xa-thu-01"
        key = self.gateway(gid)
        self.gateway("xa-thu-hop-le")

        # The slow ones (timers) run alongside the rest.
        slow = [asyncio.create_task(self.handshake_timeout()), asyncio.create_task(self.silent_session())]

        async def zero(conn): await conn.send(b"\0\0\0\0")
        await self.expect_error("zero-length frame → malformedFrame (1)", 1, zero)

        async def huge(conn): await conn.send(b"\0\x10\0\0\x01")
        await self.expect_error("1 MiB frame before the handshake → frameTooLarge (2)", 2, huge)

        async def over_handshake(conn): await conn.send(w.frame(w.HELLO, b"{" + b" " * 5000 + b"}"))
        await self.expect_error("5 KB hello (over the 4 KiB handshake limit) → frameTooLarge (2)", 2, over_handshake)

        async def extension_first(conn): await conn.send(w.frame(0x90, b"x" * 100) + w.hello_frame(gid, os.urandom(32)))
        await self.expect_error("extension frame before hello → unexpectedMessage (5)", 5, extension_first)

        async def extensions_then_big(conn):
            await conn.send(w.frame(0x90, b"x" * 4000) + w.frame(0x91, b"x" * 4000) + struct_len(200_000) + b"\x01")
        await self.expect_error("two extension frames, then a 200 KB hello → refused (5), never buffered", 5, extensions_then_big)

        async def unknown_type(conn): await conn.send(w.frame(0x7F, b""))
        await self.expect_error("unknown core type 0x7F → unknownMessageType (3)", 3, unknown_type)

        async def bad_json(conn): await conn.send(w.frame(w.HELLO, b"{not json"))
        await self.expect_error("hello that is not JSON → invalidPayload (4)", 4, bad_json)

        async def short_nonce(conn): await conn.send(w.frame(w.HELLO, w.json_payload({"gatewayId": gid, "minVersion": 1, "maxVersion": 1, "nonce": "00"})))
        await self.expect_error("hello with a 1-byte nonce → invalidPayload (4)", 4, short_nonce)

        async def long_id(conn): await conn.send(w.hello_frame("x" * 65, os.urandom(32)))
        await self.expect_error("hello with a 65-byte gateway id → invalidPayload (4)", 4, long_id)

        async def auth_first(conn): await conn.send(w.frame(w.AUTHENTICATE, w.json_payload({"mac": "00" * 32})))
        await self.expect_error("authenticate before hello → unexpectedMessage (5)", 5, auth_first)

        async def heartbeat_first(conn): await conn.send(w.frame(w.HEARTBEAT))
        await self.expect_error("heartbeat before the handshake → unexpectedMessage (5)", 5, heartbeat_first)

        async def wrong_direction(conn): await conn.send(w.frame(w.CHALLENGE, w.json_payload({"version": 1, "nonce": "00" * 32})))
        await self.expect_error("challenge sent by a gateway → unexpectedMessage (5)", 5, wrong_direction)

        async def version(conn): await conn.send(w.hello_frame(gid, os.urandom(32), 2, 3))
        await self.expect_error("hello offering versions 2…3 → unsupportedVersion (6)", 6, version)

        async def truncated(conn):
            await conn.send(b"\0\0\0\x32\x01{\"gate")
            conn.writer.transport.write_eof()
        await self.expect_error("EOF inside a frame → malformedFrame (1) before the close", 1, truncated)

        await self.enumeration_and_throttles(gid, key)
        await self.replay(gid, key)
        await self.after_ready(gid, key)
        await self.carrier_nat()
        await self.unauthenticated_memory()
        for task in slow:
            await task

    async def enumeration_and_throttles(self, gid, key):
        """Unknown id and wrong secret: the same frames, code, message and retryAfterSeconds."""
        async def attempt(gateway_id, secret):
            conn = await w.Connection.open(HOST, self.port)
            try:
                first_type = None
                ng = os.urandom(32)
                await conn.send(w.hello_frame(gateway_id, ng))
                first_type, payload = await conn.read_frame()
                if first_type != w.CHALLENGE:
                    return first_type, json.loads(payload)
                nc = bytes.fromhex(json.loads(payload)["nonce"])
                mac = w.proof(secret, b"loa-gateway-proof", w.transcript(gateway_id, 1, 1, 1, ng, nc))
                await conn.send(w.frame(w.AUTHENTICATE, w.json_payload({"mac": mac.hex()})))
                return first_type, await conn.read_error()
            finally:
                conn.close()

        wrong_id = "xa-thu-sai-khoa"
        self.gateway(wrong_id)
        known = await attempt(wrong_id, b"not the secret")
        unknown = await attempt("xa-khong-ton-tai", b"not the secret")
        same = known == unknown and known[0] == w.CHALLENGE and known[1] and known[1].get("code") == 10 \
            and known[1].get("retryAfterSeconds") is not None
        legit_ok, legit = await self.legit_gets_in()
        self.record("unknown id and wrong secret look the same (challenge, then 10 with retryAfterSeconds)",
                    same and legit_ok, f"wrong secret: {known}, unknown id: {unknown}, legit: {legit}")
        again = await attempt(wrong_id, b"not the secret")
        again_unknown = await attempt("xa-khong-ton-tai", b"not the secret")
        throttled = again[1] and again[1].get("code") == 12 and again == again_unknown
        legit_ok, legit = await self.legit_gets_in()
        self.record("a second try inside the back-off → throttled (12), the same for both; others unaffected",
                    throttled and legit_ok, f"wrong secret: {again}, unknown id: {again_unknown}, legit: {legit}")

    async def replay(self, gid, key):
        nonce = os.urandom(32)
        conn = await w.Connection.open(HOST, self.port)
        outcome, _ = await w.handshake(conn, gid, key, nonce)
        conn.close()

        async def replayed(conn): await conn.send(w.hello_frame(gid, nonce))
        error = await self.expect_error("hello replaying a used nonce → replayedNonce (11)", 11, replayed)
        if outcome != "ready":
            self.record("replay setup", False, "the first handshake failed")

    async def after_ready(self, gid, key):
        async def ready_then(payload):
            conn = await w.Connection.open(HOST, self.port)
            outcome, detail = await w.handshake(conn, gid, key)
            assert outcome == "ready", detail
            await conn.send(payload)
            return conn

        cases = [
            ("2 MiB frame after the handshake → frameTooLarge (2)", 2, b"\0\x20\0\0\x60"),
            ("healthReport that is not JSON → invalidPayload (4)", 4, w.frame(w.HEALTH_REPORT, b"[1,2")),
            ("hello again when ready → unexpectedMessage (5)", 5, w.hello_frame(gid, os.urandom(32))),
            ("liveAudio (C→G) sent by a gateway → unexpectedMessage (5)", 5, w.frame(0x51, b"\0" * 16)),
        ]
        for name, code, payload in cases:
            conn = await ready_then(payload)
            try:
                error = await conn.read_error()
                closed = await conn.closed_by_peer(5)
            finally:
                conn.close()
            legit_ok, legit = await self.legit_gets_in()
            ok = error is not None and error.get("code") == code and closed
            self.record(name, ok and legit_ok, f"got {error}, closed={closed}, legit: {legit}")
        # An extension frame once ready is skipped, as §1 says.
        conn = await ready_then(w.frame(0x90, b"future"))
        try:
            await conn.send(w.frame(w.HEARTBEAT))
            quiet = not await conn.closed_by_peer(2)
        finally:
            conn.close()
        self.record("extension frame once ready → skipped, the session stays", quiet, "the controller closed the session")

    async def carrier_nat(self):
        """Many gateways share a carrier-NAT address: 100 unknown ids and a board with a wrong
        secret retrying must not lock the others out."""
        codes = {}
        for i in range(100):
            conn = await w.Connection.open(HOST, self.port)
            try:
                outcome, detail = await w.handshake(conn, f"xa-la-{i:03d}", b"guess")
                codes[detail.get("code")] = codes.get(detail.get("code"), 0) + 1
            finally:
                conn.close()
        neighbours = []
        for i in range(5):
            neighbours.append(await self.legit_gets_in(f"xa-thu-ke-ben-{i}"))
        ok = codes == {10: 100} and all(n[0] for n in neighbours)
        self.record("100 unknown ids from one address: each refused with 10, neighbours still get in", ok,
                    f"codes {codes}, neighbours {neighbours}")

    async def unauthenticated_memory(self):
        """150 unauthenticated peers trying to park a megabyte each (issue 13, finding 4)."""
        before = self.c.rss_kib()
        conns = []
        for _ in range(150):
            conn = await w.Connection.open(HOST, self.port)
            try:
                data = w.frame(0x90, b"x" * 4000) + w.frame(0x91, b"x" * 4000) + struct_len(1_000_000) + b"\x01" + b"x" * 500_000
                await asyncio.wait_for(conn.send(data), 5)
            except (ConnectionError, OSError, asyncio.TimeoutError):
                pass
            conns.append(conn)
        await asyncio.sleep(1.0)
        grown = (self.c.rss_kib() - before) / 1024
        for conn in conns:
            conn.close()
        legit_ok, legit = await self.legit_gets_in()
        self.record(f"150 peers × (2 extension frames + 1 MB): controller grew {grown:.1f} MB (limit 20)",
                    grown < 20 and legit_ok, f"grew {grown:.1f} MB; legit: {legit}")

    async def handshake_timeout(self):
        started = time.monotonic()
        conn = await w.Connection.open(HOST, self.port)
        try:
            error = await conn.read_error(timeout=30)
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        ok = error is not None and error.get("code") == 14 and 14 <= elapsed <= 20
        legit_ok, legit = await self.legit_gets_in()
        self.record(f"silent before hello → handshakeTimeout (14) after {elapsed:.1f} s (15 s documented)",
                    ok and legit_ok, f"got {error}; legit: {legit}")

    async def silent_session(self):
        gid = "xa-thu-im-lang"
        conn = await w.Connection.open(HOST, self.port)
        try:
            outcome, heartbeat = await w.handshake(conn, gid, self.gateway(gid))
            started = time.monotonic()
            error = await conn.read_error(timeout=60)
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        limit = 3 * HEARTBEAT
        ok = outcome == "ready" and heartbeat == HEARTBEAT and error is not None and error.get("code") == 20 \
            and limit - 1 <= elapsed <= limit + 3
        self.record(f"silent session → heartbeatTimeout (20) after {elapsed:.1f} s (3 × heartbeat = {limit} s)",
                    ok, f"outcome {outcome} heartbeat {heartbeat}, got {error}")


def struct_len(n):
    return n.to_bytes(4, "big")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/loa-controller"
    controller = Controller(binary, env={"LOA_CTL_GATEWAYS_HEARTBEAT_SECONDS": str(HEARTBEAT)})
    try:
        suite = Suite(controller)
        asyncio.run(suite.run())
        if not controller.alive():
            suite.record("the controller survived", False, controller.log_tail())
    finally:
        controller.cleanup()
    failed = [r for r in suite.results if not r[1]]
    print(f"hostile-client suite: {len(suite.results) - len(failed)} of {len(suite.results)} cases as documented")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
