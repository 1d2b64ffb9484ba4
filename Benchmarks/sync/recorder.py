#!/usr/bin/env python3
"""Records a PulseAudio monitor with parec and logs when each piece of it arrived.

    recorder.py SOURCE CHANNELS OUT.raw OUT.timing

OUT.raw is s16le at 48 kHz, CHANNELS interleaved. OUT.timing starts with a JSON line (the
realtime-monotonic difference) and then one "monotonic frames" line per read: when the read
returned and how many frames had arrived by then. A sample is never read before it was
rendered, so t(n) = min over reads (arrival - frames/48000) + n/48000 maps sample n onto
CLOCK_MONOTONIC late by at most the smallest delivery delay (skew.py prints the spread).
parec asks for 10 ms fragments to keep that delay small.
"""
import json, os, signal, subprocess, sys, time

source, channels, raw_path, timing_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
parec = subprocess.Popen(["parec", "-d", source, "--format=s16le", "--rate=48000", f"--channels={channels}",
                          "--channel-map=" + ",".join(["front-left", "front-right", "rear-left", "rear-right"][:channels]),
                          "--raw", "--latency-msec=10"], stdout=subprocess.PIPE)
signal.signal(signal.SIGTERM, lambda *_: (parec.terminate(), sys.exit(0)))
frame = 2 * channels
with open(raw_path, "wb") as raw, open(timing_path, "w") as timing:
    timing.write(json.dumps({"realtime_minus_monotonic": time.time() - time.monotonic(), "rate": 48000,
                             "channels": channels}) + "\n")
    got, pending = 0, b""
    fd = parec.stdout.fileno()
    while True:
        data = os.read(fd, 65536)
        now = time.monotonic()
        if not data:
            break
        raw.write(data)
        got += len(data)
        timing.write(f"{now:.6f} {got // frame}\n")
