#!/bin/sh
# Install (or remove) the juvmap bundle this script sits in.
#
#   ./install.sh              # as a user: ~/.local/lib/juvmap, ~/.local/bin/juvmap, menu entry
#   sudo ./install.sh         # as root:   /opt/juvmap, /usr/local/bin/juvmap, menu entry for all
#   ./install.sh --uninstall  # remove what the same kind of install created
#
# DEST, BIN and SHARE override the three target folders.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
    DEST=${DEST:-/opt/juvmap}; BIN=${BIN:-/usr/local/bin}; SHARE=${SHARE:-/usr/local/share}
else
    DEST=${DEST:-$HOME/.local/lib/juvmap}; BIN=${BIN:-$HOME/.local/bin}
    SHARE=${SHARE:-${XDG_DATA_HOME:-$HOME/.local/share}}
fi
APPS="$SHARE/applications"
ICONS="$SHARE/icons/hicolor/scalable/apps"

refresh() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    [ -x "$DEST/juvmap" ] && rm -rf "$DEST"
    rm -f "$BIN/juvmap" "$APPS/juvmap.desktop" "$ICONS/juvmap.svg"
    refresh
    echo "juvmap removed from $DEST"
    exit 0
fi

[ -x "$HERE/juvmap" ] || { echo "run this script from the juvmap bundle folder" >&2; exit 2; }
if [ "$HERE" != "$DEST" ]; then
    [ -e "$DEST" ] && [ ! -x "$DEST/juvmap" ] && { echo "$DEST exists and is not juvmap" >&2; exit 2; }
    rm -rf "$DEST"
    mkdir -p "$(dirname "$DEST")"
    cp -a "$HERE" "$DEST"
fi
mkdir -p "$BIN" "$APPS" "$ICONS"
ln -sf "$DEST/juvmap" "$BIN/juvmap"
sed -e "s|^Exec=.*|Exec=$DEST/juvmap|" -e "s|^TryExec=.*|TryExec=$DEST/juvmap|" \
    "$DEST/juvmap.desktop" > "$APPS/juvmap.desktop"
cp "$DEST/juvmap.svg" "$ICONS/juvmap.svg"
refresh
echo "juvmap installed in $DEST (command: $BIN/juvmap)"
