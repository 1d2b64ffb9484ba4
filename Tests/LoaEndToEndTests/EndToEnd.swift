// The end-to-end suite: real loa-controller and loa-gateway processes on 127.0.0.1, driven
// with the real loactl over the HTTP API. Each scenario (Scenarios/) builds its own system —
// own ports, own state directories, own loudspeakers (Support/PacedSink: an ALSA file PCM into
// a FIFO read at real time) — so the scenarios run in parallel.
// LOA_E2E_KEEP=1 keeps every scenario's scratch directory (configs, logs, state, audio).
