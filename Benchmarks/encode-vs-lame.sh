#!/usr/bin/env bash
# Benchmark (not a test): encode a 10-minute speech WAV with `loactl audio encode` and with the
# `lame` CLI at the same settings (24 kHz mono, 48 kbit/s CBR, quality 3, no ReplayGain scan),
# alternating runs, and print the median wall time of each and their ratio.
#   usage: Benchmarks/encode-vs-lame.sh [RUNS]     (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
out=Benchmarks/out
mkdir -p "$out"
bash scripts/setup-debian.sh
swift build -c release --product loactl >/dev/null
loactl=$(swift build -c release --show-bin-path)/loactl

speech=$out/speech-10min.wav
if [[ ! -s $speech ]]; then
    # Vietnamese speech from espeak-ng, repeated to 10 minutes, 24 kHz mono 16-bit.
    espeak-ng -v vi -s 150 -w "$out/phrase.wav" \
        "Kính thưa bà con nhân dân trong xã. Sau đây là bản tin thời sự buổi sáng. Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm vào ngày thứ bảy tuần này tại nhà văn hóa các thôn."
    sox "$out/phrase.wav" -r 24000 -b 16 "$out/phrase24.wav"
    sox "$out/phrase24.wav" "$speech" repeat 200 trim 0 600
fi
echo "input: $(soxi -d "$speech") of $(soxi -r "$speech") Hz mono speech"

time_one() { # prints seconds for one run of the given command
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { print e - s }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >"$out/loa.times"; : >"$out/lame.times"
for ((i = 0; i < runs; i++)); do
    time_one "$loactl" audio encode "$speech" "$out/loa.mp3" --bitrate 48 --rate 24000 --quality 3 >>"$out/loa.times"
    time_one lame --quiet --noreplaygain -q 3 -b 48 --cbr -m m "$speech" "$out/lame.mp3" >>"$out/lame.times"
done
loa=$(median <"$out/loa.times"); lame=$(median <"$out/lame.times")
printf 'loactl audio encode: median %.3f s over %d runs\n' "$loa" "$runs"
printf 'lame CLI:            median %.3f s over %d runs\n' "$lame" "$runs"
printf 'ratio loactl/lame:   %.3f\n' "$(awk -v a="$loa" -v b="$lame" 'BEGIN { print a / b }')"
printf 'sizes: loactl %d bytes, lame %d bytes\n' "$(stat -c %s "$out/loa.mp3")" "$(stat -c %s "$out/lame.mp3")"
