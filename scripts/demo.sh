#!/usr/bin/env bash
# README's main command. On a fresh Debian 12 machine (as root): installs what is missing,
# builds Loa, makes a spoken Vietnamese bulletin, encodes it with Loa's encoder and plays it
# through real ALSA. Without a sound card the output is a `type file` PCM, checked afterwards;
# LOA_DEVICE=default (or hw:0, plughw:1,0 …) plays to a real card instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
echo "== building loactl"
swift build --product loactl 2>&1 | tail -1
loactl="$(swift build --show-bin-path)/loactl"

work=${LOA_DEMO_DIR:-$(mktemp -d /tmp/loa-demo.XXXXXX)}
mkdir -p "$work"
played="$work/played.raw"
device=${LOA_DEVICE:-"file:FILE=$played,FORMAT=raw"}

echo "== 1. a spoken bulletin (espeak-ng, Vietnamese)"
espeak-ng -v vi -s 150 -w "$work/source.wav" \
    "Kính thưa bà con nhân dân trong xã. Ủy ban nhân dân xã thông báo: sáng thứ bảy tuần này, tiêm phòng cho gia súc và gia cầm tại nhà văn hóa các thôn. Đề nghị bà con đưa vật nuôi đến đúng giờ."
"$loactl" audio info "$work/source.wav"

echo "== 2. encoded as Loa stores bulletins: 24 kHz mono, 48 kbit/s CBR, loudness-normalised"
"$loactl" audio encode "$work/source.wav" "$work/bulletin.mp3" --normalize
"$loactl" audio info "$work/bulletin.mp3"

echo "== 3. played through ALSA to '$device'"
"$loactl" audio play "$work/bulletin.mp3" --device "$device" --volume 100

if [[ -z ${LOA_DEVICE:-} ]]; then
    echo "== 4. what the loudspeaker would have received"
    "$loactl" audio decode "$work/bulletin.mp3" "$work/bulletin.wav" >/dev/null
    expected=$(( $(stat -c %s "$work/bulletin.wav") - 44 ))
    got=$(stat -c %s "$played")
    echo "the file PCM holds $got bytes of 16-bit mono PCM; the decoded bulletin is $expected bytes"
    [[ $got -eq $expected ]] || { echo "demo: the played audio does not match the bulletin" >&2; exit 1; }
    echo "played audio matches the bulletin sample for sample in length: OK ($work)"
fi
