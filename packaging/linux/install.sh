#!/usr/bin/env bash
# Install the one-folder build (packaging/linux/build.sh) for one person or for everyone:
# the app folder, a `companion` command, the menu entry, the lesson-pack file type and the icons.
#
#   packaging/linux/install.sh                     # into ~/.local, from dist/companion
#   sudo packaging/linux/install.sh --prefix /usr/local
#   packaging/linux/install.sh --from /media/stick/companion --prefix ~/.local
#   packaging/linux/install.sh --uninstall         # remove what an install put there
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prefix="${HOME}/.local"
from="$root/dist/companion"
uninstall=0

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  echo
  echo "options: --prefix DIR (default ~/.local)  --from BUILD_DIR (default dist/companion)"
  echo "         --uninstall  -h|--help"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { usage >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --from) [ $# -ge 2 ] || { usage >&2; exit 2; }; from="$2"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
app_dir="$prefix/lib/companion"
bin_link="$prefix/bin/companion"
desktop_file="$prefix/share/applications/companion.desktop"
mime_file="$prefix/share/mime/packages/companion-pack.xml"
icons="$prefix/share/icons/hicolor"
mime_type="application/x-companion-pack"
icon_files=(
  "$icons/scalable/apps/companion.svg"
  "$icons/256x256/apps/companion.png"
  "$icons/scalable/mimetypes/${mime_type//\//-}.svg"
  "$icons/256x256/mimetypes/${mime_type//\//-}.png"
)

refresh_caches() {
  # Each is optional: a missing tool only means the desktop picks the change up a bit later.
  if command -v update-mime-database >/dev/null; then
    update-mime-database "$prefix/share/mime" >/dev/null 2>&1 || true
  fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$icons/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$icons" 2>/dev/null || true
  fi
}

if [ "$uninstall" -eq 1 ]; then
  rm -rf "$app_dir"
  [ -L "$bin_link" ] && rm -f "$bin_link"
  rm -f "$desktop_file" "$mime_file" "${icon_files[@]}"
  refresh_caches
  echo "removed Course companion from $prefix (lesson data and settings are kept)"
  exit 0
fi

if [ ! -x "$from/companion" ] || [ ! -d "$from/_internal" ]; then
  echo "install.sh: no one-folder build in $from (expected companion and _internal/);" \
       "run packaging/linux/build.sh first, or give --from" >&2
  exit 1
fi

# The new copy goes beside the old one and replaces it in one rename: a failed copy (a full
# disk) leaves the installed app as it was.
mkdir -p "$prefix/lib" "$prefix/bin" "$(dirname "$desktop_file")" "$(dirname "$mime_file")"
staging="$(mktemp -d "$prefix/lib/.companion-new.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
cp -a "$from/." "$staging/"
chmod 755 "$staging"
rm -rf "$app_dir.old"
[ -e "$app_dir" ] && mv "$app_dir" "$app_dir.old"
mv "$staging" "$app_dir"
rm -rf "$app_dir.old"
trap - EXIT

ln -sfn "$app_dir/companion" "$bin_link"

# The menu entry runs the app by its full path: ~/.local/bin is often not on a desktop
# session's PATH. %f stays: it is how a .cpack opened in the file manager reaches the app.
exe_sed="$(printf '%s' "$app_dir/companion" | sed 's/[&|\\]/\\&/g')"
sed -e "s|^Exec=companion |Exec=\"$exe_sed\" |" \
    -e "s|^TryExec=companion\$|TryExec=$exe_sed|" \
    "$here/companion.desktop" > "$desktop_file"
chmod 644 "$desktop_file"
install -m 644 "$here/companion-pack.xml" "$mime_file"

resources="$app_dir/_internal/resources/icons"
[ -f "$resources/app-icon.svg" ] || resources="$root/resources/icons"
for target in "${icon_files[@]}"; do
  mkdir -p "$(dirname "$target")"
  case "$target" in
    *.svg) install -m 644 "$resources/app-icon.svg" "$target" ;;
    *.png) install -m 644 "$resources/app-icon.png" "$target" ;;
  esac
done

refresh_caches
echo "installed Course companion in $app_dir"
echo "  command:   $bin_link"
echo "  menu:      $desktop_file"
echo "  pack type: $mime_type (*.cpack)"
