#!/usr/bin/env bash
# `make lock`: refresh requirements/lock.txt, the exact versions CI, `make venv`, `make package`
# and the installers' build recipes install (as pip constraints: `pip install -c ...`).
# Resolves the app with its hub and dev extras, the hub distribution and the packaging tools
# afresh in a throwaway virtualenv, then freezes it. Review the diff before committing: a new
# PySide6 has broken the app before (6.12.0).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
LOCK=requirements/lock.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" -m venv "$tmp/venv"
pip=("$tmp/venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install --quiet '.[dev,hub]' ./packaging/hub 'pyinstaller>=6.0' 'pipx>=1.4'
{
  echo "# Exact versions for CI, make venv, make package and the installers (pip constraints)."
  echo "# Made by \`make lock\` (tools/make_lock.sh) with $("$tmp/venv/bin/python" -V) on"
  echo "# $(uname -s) $(uname -m). Requirements that only Windows or macOS have are not pinned here."
  "${pip[@]}" freeze --all --exclude companion --exclude companion-hub \
    --exclude pip --exclude setuptools --exclude wheel | LC_ALL=C sort -f
} >"$LOCK.new"
mv "$LOCK.new" "$LOCK"
echo "$LOCK: $(grep -vc '^#' "$LOCK") packages"
