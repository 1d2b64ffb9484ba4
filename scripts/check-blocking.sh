#!/usr/bin/env bash
# Nothing in async code blocks a cooperative thread (issue 12): the blocking waits — semaphores,
# `queue.sync`, `Thread.sleep` and our `blockingSleep`, `usleep`/`sleep`/`nanosleep`, `DispatchGroup.wait` — may appear only in the
# files that run on a thread of their own (render threads, the player thread, the paced test
# output that stands in for ALSA's blocking write). Swift's LIBDISPATCH_COOPERATIVE_POOL_STRICT
# would catch these at run time on Darwin; Linux's libdispatch does not read it, so this check
# reads the sources instead. A new thread-owned file is added to the list with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
thread_owned=(
    Sources/LoaAudio/ALSA/PacedNullOutput.swift          # blocks like snd_pcm_writei, on a render thread
    Sources/LoaGateway/Player/RenderThread.swift         # the render thread and its bounded cancel wait
    Sources/LoaGateway/Player/BulletinRenderer.swift     # waits for its start instant on its render thread
    Sources/LoaGateway/Live/LiveRenderer.swift           # waits for audio on its render thread
    Sources/LoaGateway/Player/PlayerMailbox.swift        # the player thread sleeps here until an input
    Sources/LoaGateway/Player/Wakeup.swift               # the player's and renderers' sleep (poll; usleep when out of pipes)
    Sources/LoaAudio/ALSA/ALSAPlayback.swift             # drain(leavingFrames:) waits on the card, on a render thread
    Sources/LoaAudio/Support/BlockingSleep.swift         # defines blockingSleep (Thread.sleep without Foundation)
)
pattern='DispatchSemaphore|\.sync[[:space:]]*\{|\.sync\(execute|Thread\.sleep|\bblockingSleep\(|\bnanosleep\(|\busleep\(|[^.[:alnum:]_]sleep\([0-9]|DispatchGroup\(\)\.wait|\.wait\(timeout: \.now'
found=$(grep -rnE "$pattern" Sources --include='*.swift' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true)
for file in "${thread_owned[@]}"; do
    found=$(printf '%s\n' "$found" | grep -v "^$file:" || true)
done
found=$(printf '%s\n' "$found" | sed '/^$/d')
if [ -n "$found" ]; then
    echo "check-blocking: a blocking wait outside the thread-owned files (scripts/check-blocking.sh):" >&2
    printf '%s\n' "$found" >&2
    exit 1
fi
echo "check-blocking: no blocking wait outside ${#thread_owned[@]} thread-owned files"
