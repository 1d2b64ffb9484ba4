#!/usr/bin/env python3
"""A counting TCP proxy for one gateway's link on loopback: what a carrier would bill.

    count-proxy.py --listen PORT --target HOST:PORT --control SOCK --events FILE
                   [--mss 1460] [--rate 1000000] [--flap PERIOD,DOWN]
    count-proxy.py ctl SOCK stats|drop|down|up|flap PERIOD,DOWN|steady   (prints the answer, a JSON line)

Every connection accepted on 127.0.0.1:PORT (the gateway's side) is joined to a new connection
to the target (the controller), bytes forwarded as they come, order kept. The gateway-facing
socket is the link as the carrier sees it, so it is the one counted, from the kernel's own
counters (getsockopt TCP_INFO, struct tcp_info of <linux/tcp.h>): tcpi_bytes_received (payload
gateway → controller, "up"), tcpi_bytes_sent (payload controller → gateway, "down", retransmissions
included), tcpi_segs_in / tcpi_segs_out (every segment each way, pure ACKs, SYN and FIN included).
A duplicate of that socket's descriptor is kept after the proxy closes it, and read once the
FIN exchange is over, so a connection's teardown counts too. Of the handshake, the accepted
socket counts the SYN and the ACK (segs_in starts at 2) but not the SYN-ACK, which the
listener's request socket sent: one segment is added down. tcpi_bytes_received counts the
peer's FIN as one byte (±1 B per connection).

--mss clamps the segment size of the listening socket (TCP_MAXSEG, inherited by the accepted
socket and advertised to the gateway), so a download is cut into segments as on a 1500-byte-MTU
path rather than into loopback's 64 KiB ones (0: leave loopback's). --rate paces what the proxy
sends to the gateway (SO_MAX_PACING_RATE, bytes a second; default 1 MB/s, a modest 4G downlink):
on loopback TCP hands the receiver 64 KiB GSO packets, each acknowledged by one ACK, where a
real path delivers MSS-sized segments acknowledged every second one; paced, the kernel sends
packets of two segments (tcp_min_tso_segs), so the gateway's ACKs come as on a real link (0: no
pacing).

Events (one JSON object a line in --events): open, close, refused (an attempt during an outage),
chunk (each read: direction, bytes, and the counters at that moment), down, up.

The link can be broken on command (`drop`: close both sides of every connection, as a carrier
dropping the session; `down`: the same, and every new attempt is accepted and reset at once —
counted as refused — until `up`), or on a timer: --flap PERIOD,DOWN (or the command `flap
PERIOD,DOWN`, from that moment) keeps the link up PERIOD-DOWN seconds, then down DOWN seconds,
over and over, until `steady` (which also brings the link up).
"""
import argparse, asyncio, json, os, signal, socket, struct, sys, time

TCP_INFO_LEN = 232   # struct tcp_info up to tcpi_snd_wnd (Linux ≥ 5.4)
SO_MAX_PACING_RATE = 47   # <asm-generic/socket.h>
SYN_ACK = 1   # sent by the listener, not counted by the accepted socket


def tcp_info(sock):
    """The counters this proxy uses, from struct tcp_info (offsets in <linux/tcp.h>)."""
    b = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, TCP_INFO_LEN)
    if len(b) < TCP_INFO_LEN:
        raise OSError(f"struct tcp_info is {len(b)} bytes here, this proxy reads {TCP_INFO_LEN}")
    return dict(
        state=b[0],
        snd_mss=struct.unpack_from("I", b, 16)[0],
        rcv_mss=struct.unpack_from("I", b, 20)[0],
        total_retrans=struct.unpack_from("I", b, 100)[0],
        bytes_received=struct.unpack_from("Q", b, 128)[0],
        segs_out=struct.unpack_from("I", b, 136)[0],
        segs_in=struct.unpack_from("I", b, 140)[0],
        bytes_sent=struct.unpack_from("Q", b, 200)[0],
    )


class Link:
    """One gateway connection and the duplicate descriptor that outlives the proxy's close."""

    def __init__(self, n, sock, refused=False):
        self.n = n
        self.opened = time.time()
        self.closed = None
        self.refused = refused
        self.dup = socket.socket(fileno=os.dup(sock.fileno()))
        self.final = None
        self.writers = []

    def info(self):
        if self.final is not None:
            return self.final
        try:
            return tcp_info(self.dup)
        except OSError:
            return None

    def counts(self):
        i = self.info() or dict(bytes_received=0, bytes_sent=0, segs_in=0, segs_out=0, total_retrans=0)
        return dict(up_payload=i["bytes_received"], down_payload=i["bytes_sent"],
                    up_segs=i["segs_in"], down_segs=i["segs_out"] + SYN_ACK,
                    retrans=i["total_retrans"])


class Proxy:
    def __init__(self, args):
        self.a = args
        self.host, port = args.target.rsplit(":", 1)
        self.port = int(port)
        self.links = []
        self.count = 0
        self.is_down = False
        self.flapping = None
        self.events = open(args.events, "a", buffering=1) if args.events else None

    def log(self, **event):
        if self.events:
            event["t"] = round(time.time(), 4)
            self.events.write(json.dumps(event) + "\n")

    def totals(self):
        t = dict(up_payload=0, down_payload=0, up_segs=0, down_segs=0, retrans=0)
        for link in self.links:
            for k, v in link.counts().items():
                t[k] += v
        t.update(connections=sum(not l.refused for l in self.links), refused=sum(l.refused for l in self.links),
                 open=sum(l.closed is None for l in self.links), down=self.is_down, t=time.time())
        return t

    async def finish(self, link, reset=False):
        """Closes the proxy's side; reads the counters once the FIN (or RST) exchange is over."""
        if link.closed is not None:
            return
        link.closed = time.time()
        for w in link.writers:
            w.close()
        try:
            if reset:
                link.dup.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                link.dup.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        await asyncio.sleep(1.0)
        link.final = link.info()
        link.dup.close()
        self.log(ev="refused" if link.refused else "close", c=link.n, **link.counts())

    async def handle(self, g_reader, g_writer):
        self.count += 1
        sock = g_writer.get_extra_info("socket")
        if self.a.rate:
            sock.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, self.a.rate)
        link = Link(self.count, sock, refused=self.is_down)
        self.links.append(link)
        link.writers.append(g_writer)
        if link.refused:
            await self.finish(link, reset=True)
            return
        try:
            c_reader, c_writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            await self.finish(link)
            return
        link.writers.append(c_writer)
        self.log(ev="open", c=link.n, **link.counts())

        async def pipe(reader, writer, direction):
            try:
                while True:
                    data = await reader.read(65536)
                    if not data:
                        break
                    writer.write(data)
                    self.log(ev="chunk", c=link.n, dir=direction, n=len(data), **link.counts())
                    await writer.drain()
            except (ConnectionError, OSError):
                pass

        await asyncio.wait([asyncio.create_task(pipe(g_reader, c_writer, "up")),
                            asyncio.create_task(pipe(c_reader, g_writer, "down"))],
                           return_when=asyncio.FIRST_COMPLETED)
        await self.finish(link)

    async def drop(self):
        await asyncio.gather(*(self.finish(l) for l in self.links if l.closed is None))

    async def control(self, reader, writer):
        command = (await reader.readline()).decode().strip()
        if command == "stats":
            answer = self.totals()
        elif command in ("drop", "down"):
            self.is_down = self.is_down or command == "down"
            self.log(ev=command)
            await self.drop()
            answer = self.totals()
        elif command.startswith("flap "):
            self.start_flap(command.split()[1])
            answer = self.totals()
        elif command in ("up", "steady"):
            if command == "steady" and self.flapping:
                self.flapping.cancel()
                self.flapping = None
            self.is_down = False
            self.log(ev="up")
            answer = self.totals()
        else:
            answer = {"error": f"unknown command {command!r} (stats, drop, down, up, flap P,D, steady)"}
        writer.write((json.dumps(answer) + "\n").encode())
        await writer.drain()
        writer.close()

    def start_flap(self, spec):
        period, down = (float(x) for x in spec.split(","))
        self.flapping = asyncio.get_running_loop().create_task(self.flap(period, down))

    async def flap(self, period, down):
        while True:
            await asyncio.sleep(period - down)
            self.is_down = True
            self.log(ev="down")
            asyncio.get_running_loop().create_task(self.drop())   # not awaited: it waits out each teardown
            await asyncio.sleep(down)
            self.is_down = False
            self.log(ev="up")


async def serve(a):
    proxy = Proxy(a)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.mss:
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, a.mss)
    listener.bind(("127.0.0.1", a.listen))
    server = await asyncio.start_server(proxy.handle, sock=listener)
    ctl = await asyncio.start_unix_server(proxy.control, a.control)
    if a.flap:
        proxy.start_flap(a.flap)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, lambda: stop.done() or stop.set_result(None))
    async with server, ctl:
        await stop
    os._exit(0)


def ctl(path, command):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall((command + "\n").encode())
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    sys.stdout.write(out.decode())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "ctl":
        ctl(sys.argv[2], sys.argv[3])
        sys.exit(0)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--control", required=True, help="Unix socket for stats/drop/down/up")
    p.add_argument("--events", help="append one JSON line per event")
    p.add_argument("--mss", type=int, default=1460)
    p.add_argument("--rate", type=int, default=1_000_000)
    p.add_argument("--flap", help="PERIOD,DOWN in seconds")
    asyncio.run(serve(p.parse_args()))
