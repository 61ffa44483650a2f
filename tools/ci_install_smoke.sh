#!/usr/bin/env bash
# Install the way users do, then use it (CI runs this after `make test`):
#   1. build the app's wheel and the hub's (packaging/hub), no editable install;
#   2. the app into a fresh virtualenv, no extras, versions from requirements/lock.txt;
#   3. the hub with pipx (its own virtualenv; checked to hold no Qt);
#   4. tools/install_smoke.py: the hub serves /v1/health, the app imports a pack, joins the
#      hub and syncs, then reaches its home screen offscreen;
#   5. unless --no-frozen: `make package` (the real PyInstaller build; needs the .venv of
#      `make test`), the same smoke on the frozen app plus a lesson video played by the bundled
#      libvlc (dummy output), and tests/test_frozen_app.py on the build.
# Every step prints its seconds; the total is the CI time this adds.
#
#   tools/ci_install_smoke.sh [--no-frozen] [--keep]     (PYTHON=python3.11 by default python3)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
PYTHON=${PYTHON:-python3}
LOCK="$root/requirements/lock.txt"
frozen=1
keep=0
for arg in "$@"; do
  case "$arg" in
    --no-frozen) frozen=0 ;;
    --keep) keep=1 ;;
    *) echo "ci_install_smoke.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d "${TMPDIR:-/tmp}/companion-install-smoke.XXXXXX")"
[ "$keep" = 1 ] && echo "work folder: $work" || trap 'rm -rf "$work"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1
started=$(date +%s)

timed() {  # timed "what" command...: run it, then print how long it took
  local what="$1" t0 tenths
  shift
  t0=$(date +%s%N)
  "$@"
  tenths=$(( ($(date +%s%N) - t0) / 100000000 ))
  printf 'ok   %4d.%d s  %s\n' $((tenths / 10)) $((tenths % 10)) "$what"
}

timed "build the wheels (app, hub)" \
  "$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheels" . ./packaging/hub
app_wheel=$(ls "$work"/wheels/companion-*.whl)
hub_wheel=$(ls "$work"/wheels/companion_hub-*.whl)

"$PYTHON" -m venv "$work/app"
timed "install the app's wheel into a fresh virtualenv (locked versions)" \
  "$work/app/bin/python" -m pip install --quiet -c "$LOCK" "$app_wheel"
echo "     app virtualenv: $(du -sm "$work/app" | cut -f1) MB"

"$PYTHON" -m venv "$work/pipx"
"$work/pipx/bin/python" -m pip install --quiet -c "$LOCK" pipx
export PIPX_HOME="$work/pipx-home" PIPX_BIN_DIR="$work/bin" PIPX_MAN_DIR="$work/man"
timed "pipx install the hub's wheel (locked versions)" \
  "$work/pipx/bin/pipx" install --quiet --pip-args="-c $LOCK" "$hub_wheel"
hub_python="$PIPX_HOME/venvs/companion-hub/bin/python"
if "$hub_python" -c "import importlib.util as u, sys; sys.exit(not any(u.find_spec(m) for m in ('PySide6', 'shiboken6', 'vlc')))"; then
  echo "the hub's virtualenv has Qt or python-vlc in it" >&2
  exit 1
fi
echo "     hub virtualenv: $(du -sm "$PIPX_HOME/venvs/companion-hub" | cut -f1) MB, no Qt"

timed "smoke test of the installed app and hub" \
  "$PYTHON" tools/install_smoke.py --app "$work/app/bin/companion" --hub "$work/bin/companion-hub"

if [ "$frozen" = 1 ]; then
  timed "make package (PyInstaller)" make package
  echo "     dist/companion: $(du -sm dist/companion | cut -f1) MB in $(find dist/companion -type f | wc -l) files"
  timed "smoke test of the frozen app, with a video played" \
    "$PYTHON" tools/install_smoke.py --app "$root/dist/companion/companion" \
      --hub "$work/bin/companion-hub" --play
  timed "tests/test_frozen_app.py on the build" \
    env COMPANION_FROZEN_APP="$root/dist/companion" .venv/bin/python -m pytest -q \
      -p no:cacheprovider tests/test_frozen_app.py
fi
echo "install smoke: all done in $(( $(date +%s) - started )) s"
