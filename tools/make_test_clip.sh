#!/usr/bin/env bash
# Makes the tiny real clip the player tests play: tests/data/clip.mp4 (6 s, 320x180,
# H.264 + AAC, well under 150 KB) and tests/data/clip.srt (three cues).
# Needs ffmpeg with libx264 and the native aac encoder (Debian's ffmpeg has both).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/tests/data}"
mkdir -p "$out"

# A moving test pattern (so a frame can be told from another) and a quiet tone.
# -bitexact and no metadata keep reruns byte-stable enough to not churn the tree.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x180:rate=15:duration=6" \
  -f lavfi -i "sine=frequency=440:sample_rate=22050:duration=6,volume=0.2" \
  -c:v libx264 -preset veryslow -profile:v baseline -pix_fmt yuv420p -crf 34 -g 30 \
  -c:a aac -b:a 24k -ac 1 \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -shortest "$out/clip.mp4"

# SubRip with CRLF line ends, as files made on Windows have them.
printf '%s\r\n' \
  "1" "00:00:00,300 --> 00:00:01,900" "First cue: welcome to the shop" "" \
  "2" "00:00:02,200 --> 00:00:03,800" "Second cue: open Instagram" "" \
  "3" "00:00:04,100 --> 00:00:05,800" "Third cue: post one photo" "with two lines" \
  > "$out/clip.srt"

ls -l "$out/clip.mp4" "$out/clip.srt"
