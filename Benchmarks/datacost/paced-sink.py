#!/usr/bin/env python3
"""A gateway's loudspeaker for benchmarks: reads the FIFO its ALSA `type file` PCM writes into
at the audio's real rate (default 48000 B/s: 24 kHz mono S16), so a bulletin takes as long to
play as it lasts (a file PCM alone is not paced). What is read is thrown away.

    paced-sink.py FIFO [BYTES_PER_SECOND]
"""
import fcntl, os, sys, time

path = sys.argv[1]
rate = int(sys.argv[2]) if len(sys.argv) > 2 else 48000
os.mkfifo(path)
# Read end open (non-blocking) before the gateway opens the write end, so its open never waits.
fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
fcntl.fcntl(fd, 1031, 4096)   # F_SETPIPE_SZ: one page, the writer is at most ~40 ms ahead
budget, last = 0.0, time.monotonic()
while True:
    time.sleep(0.01)
    now = time.monotonic()
    budget = min(budget + (now - last) * rate, 0.2 * rate)   # an idle gap is not a burst
    last = now
    want = int(budget) & ~1
    if want <= 0:
        continue
    try:
        got = len(os.read(fd, want))
    except BlockingIOError:
        got = 0
    budget -= got
