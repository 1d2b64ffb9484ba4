"""An independent client of docs/PROTOCOL.md, written from the document alone (no Loa code):
framing (§1), the handshake (§3), error frames (§5). Used by the hostile-client suite and by
the fleet benchmarks, so Loa's Swift codec is checked against the text, not against itself."""
import asyncio
import hashlib
import hmac
import json
import os
import struct

HELLO, CHALLENGE, AUTHENTICATE, AUTHENTICATED, ERROR, HEARTBEAT = 0x01, 0x02, 0x03, 0x04, 0x0F, 0x10
HEALTH_REPORT = 0x60

ERROR_NAMES = {
    1: "malformedFrame", 2: "frameTooLarge", 3: "unknownMessageType", 4: "invalidPayload",
    5: "unexpectedMessage", 6: "unsupportedVersion", 10: "authenticationFailed", 11: "replayedNonce",
    12: "throttled", 13: "controllerAuthenticationFailed", 14: "handshakeTimeout", 20: "heartbeatTimeout",
    21: "shuttingDown",
}


def frame(type_byte, payload=b""):
    """length u32 BE (type + payload), type u8, payload."""
    return struct.pack(">IB", len(payload) + 1, type_byte) + payload


def json_payload(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def hello_frame(gateway_id, nonce, min_version=1, max_version=1):
    return frame(HELLO, json_payload({"gatewayId": gateway_id, "minVersion": min_version,
                                      "maxVersion": max_version, "nonce": nonce.hex()}))


def transcript(gateway_id, min_version, max_version, version, ng, nc):
    gid = gateway_id.encode()
    return struct.pack(">HHHB", min_version, max_version, version, len(gid)) + gid + ng + nc


def proof(secret, label, t):
    return hmac.new(secret, label + t, hashlib.sha256).digest()


class Closed(Exception):
    pass


class Connection:
    """One TCP connection speaking frames."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host, port):
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def send(self, data):
        self.writer.write(data)
        await self.writer.drain()

    async def read_frame(self, timeout=10):
        """(type, payload); raises Closed at EOF (with the bytes of a cut frame, if any)."""
        try:
            head = await asyncio.wait_for(self.reader.readexactly(5), timeout)
        except asyncio.IncompleteReadError as e:
            raise Closed(e.partial)
        except ConnectionError:
            raise Closed(b"")
        length, type_byte = struct.unpack(">IB", head)
        try:
            payload = await asyncio.wait_for(self.reader.readexactly(length - 1), timeout)
        except asyncio.IncompleteReadError as e:
            raise Closed(e.partial)
        except ConnectionError:
            raise Closed(b"")
        return type_byte, payload

    async def read_error(self, timeout=20):
        """The next error frame as a dict (skipping anything else), or None if the peer closed first."""
        while True:
            try:
                type_byte, payload = await self.read_frame(timeout)
            except (Closed, asyncio.TimeoutError):
                return None
            if type_byte == ERROR:
                return json.loads(payload)

    async def closed_by_peer(self, timeout=10):
        """True when the peer closes (EOF) within `timeout`."""
        try:
            while True:
                data = await asyncio.wait_for(self.reader.read(65536), timeout)
                if not data:
                    return True
        except ConnectionError:
            return True  # a reset: the peer closed with our unread bytes in its buffer
        except asyncio.TimeoutError:
            return False

    def close(self):
        try:
            self.writer.close()
        except Exception:
            pass


async def handshake(conn, gateway_id, secret, nonce=None):
    """Runs §3 as a gateway. Returns ("ready", heartbeatSeconds) or ("error", error dict)."""
    ng = nonce or os.urandom(32)
    await conn.send(hello_frame(gateway_id, ng))
    type_byte, payload = await conn.read_frame()
    if type_byte == ERROR:
        return "error", json.loads(payload)
    assert type_byte == CHALLENGE, f"expected challenge, got type {type_byte:#x}"
    challenge = json.loads(payload)
    nc = bytes.fromhex(challenge["nonce"])
    t = transcript(gateway_id, 1, 1, challenge["version"], ng, nc)
    await conn.send(frame(AUTHENTICATE, json_payload({"mac": proof(secret, b"loa-gateway-proof", t).hex()})))
    type_byte, payload = await conn.read_frame()
    if type_byte == ERROR:
        return "error", json.loads(payload)
    assert type_byte == AUTHENTICATED, f"expected authenticated, got type {type_byte:#x}"
    reply = json.loads(payload)
    expected = proof(secret, b"loa-controller-proof", t).hex()
    if not hmac.compare_digest(reply["mac"], expected):
        return "error", {"code": 13, "message": "controller proof wrong"}
    return "ready", reply["heartbeatSeconds"]


async def connect_gateway(host, port, gateway_id, secret):
    """A connected, authenticated gateway: (connection, heartbeatSeconds)."""
    conn = await Connection.open(host, port)
    outcome, detail = await handshake(conn, gateway_id, secret)
    if outcome != "ready":
        conn.close()
        raise RuntimeError(f"{gateway_id}: handshake refused: {detail}")
    return conn, detail
