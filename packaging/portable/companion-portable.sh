#!/bin/sh
# Start the Course companion from a USB stick (or any folder) with everything kept beside it.
#
# Layout, all in one folder:
#   companion-portable.sh    this launcher
#   companion-linux/         the Linux one-folder build (dist/companion, renamed)
#   companion-home/          lessons, notes, progress and settings; made on the first start
#
# Arguments go to the app: `sh companion-portable.sh pack import packs` imports the packs in
# packs/ into the stick's home. Start it with `sh` if the stick does not keep the x bit.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P) || exit 1
app="$here/companion-linux/companion"
if [ ! -x "$app" ]; then
  echo "companion-portable: $app not found (copy the Linux build there as companion-linux/)" >&2
  exit 1
fi
COMPANION_HOME="$here/companion-home"
export COMPANION_HOME
exec "$app" "$@"
