#!/bin/sh
# Start the Course companion from a USB stick (or any folder) with everything kept beside it.
#
# Layout, all in one folder:
#   companion-portable.sh    this launcher
#   companion-linux/         the Linux one-folder build (dist/companion, renamed)
#   companion-home/          lessons, notes, progress and settings; made on the first start
#
# Arguments go to the app: `sh companion-portable.sh pack import packs` imports the packs in
# packs/ into the stick's home.
#
# A FAT32 or exFAT stick keeps no executable bit: start this launcher with `sh`, and it starts
# the app through the system's dynamic loader (ld.so runs a program file that has no x bit).
# A stick mounted `noexec` cannot run programs at all: copy companion-linux/ to the PC then.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P) || exit 1
app="$here/companion-linux/companion"
if [ ! -f "$app" ]; then
  echo "companion-portable: $app not found (copy the Linux build there as companion-linux/)" >&2
  exit 1
fi
COMPANION_HOME="$here/companion-home"
export COMPANION_HOME
if [ -x "$app" ]; then
  exec "$app" "$@"
fi
for loader in ${COMPANION_LOADER:-} /lib64/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
  if [ -x "$loader" ]; then
    exec "$loader" "$app" "$@"
  fi
done
echo "companion-portable: cannot start $app: the stick keeps no executable bit and no" \
     "dynamic loader was found; copy companion-linux/ to the PC and start it there" >&2
exit 1
