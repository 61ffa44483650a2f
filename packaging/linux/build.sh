#!/usr/bin/env bash
# Build the desktop app as one folder with PyInstaller: dist/companion/ (start dist/companion/companion).
#
#   packaging/linux/build.sh                          # python3 on PATH has PyInstaller + the app
#   packaging/linux/build.sh --python /tmp/pyi-venv/bin/python --dist /tmp/pyi-dist
#
# The Python used needs the app installed (pip install -e .) and PyInstaller; a separate venv
# without the [hub,dev] extras keeps the build small. VLC comes from the system (Debian:
# libvlc5 vlc-plugin-base libvlc-bin vlc-plugin-video-output); COMPANION_BUNDLE_VLC=0 builds
# without it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
dist="$root/dist"
work="$root/build/pyinstaller"

while [ $# -gt 0 ]; do
  case "$1" in
    --python) python="$2"; shift 2 ;;
    --dist) dist="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
               echo "options: --python PY  --dist DIR (default dist)  --work DIR (default build/pyinstaller)"
               exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if ! "$python" -m PyInstaller --version >/dev/null 2>&1; then
  echo "build.sh: $python has no PyInstaller; python3 -m venv /tmp/pyi-venv &&" \
       "/tmp/pyi-venv/bin/pip install -e . pyinstaller, then --python /tmp/pyi-venv/bin/python" >&2
  exit 1
fi
if ! "$python" -c "import companion.cli" 2>/dev/null; then
  echo "build.sh: $python cannot import companion; pip install -e $root into it" >&2
  exit 1
fi

cd "$root"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/pyinstaller/companion.spec

app="$dist/companion"
plugins="$app/_internal/vlc/plugins"
if [ -d "$plugins" ]; then
  # libvlc scans every plugin on each start unless a cache for these very files is there:
  # with it, starting the player takes a few ms instead of a tenth of a second or more.
  multiarch="$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH") or "")')"
  cache_gen="${VLC_CACHE_GEN:-/usr/lib/${multiarch:-x86_64-linux-gnu}/vlc/vlc-cache-gen}"
  if [ -x "$cache_gen" ]; then
    "$cache_gen" "$plugins"
  else
    echo "build.sh: warning: $cache_gen not found (Debian: libvlc-bin); the player starts" \
         "slower without a plugin cache" >&2
  fi
fi

# The build must at least start: print its version without a display.
QT_QPA_PLATFORM=offscreen "$app/companion" --version
echo "built $app ($(du -sh "$app" | cut -f1))"
