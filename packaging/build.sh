#!/usr/bin/env bash
# Build the Linux onedir bundle dist/juvmap/ with PyInstaller (packaging/juvmap.spec).
#
#   bash packaging/build.sh           # build (reuses PyInstaller's cache in build/pyinstaller)
#   bash packaging/build.sh --clean   # build from scratch
#   bash packaging/build.sh --tar     # also pack dist/juvmap-<version>-linux-x86_64.tar.gz
#
# Prints the build time and the bundle size. PY overrides the interpreter (default .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CLEAN=() TAR=0
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=(--clean) ;;
        --tar) TAR=1 ;;
        *) echo "usage: $0 [--clean] [--tar]" >&2; exit 2 ;;
    esac
done

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    "$PY" -m pip install --quiet "pyinstaller>=6.10,<7"
fi
"$PY" tools/i18n.py compile --quiet

start=$(date +%s)
rm -rf dist/juvmap
"$PY" -m PyInstaller --noconfirm "${CLEAN[@]}" --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/juvmap.spec
unslim=$(du -sm dist/juvmap | cut -f1)
"$PY" packaging/slim_bundle.py dist/juvmap   # debug symbols, one PROJ data folder
install -m 644 packaging/linux/juvmap.desktop packaging/linux/juvmap.svg dist/juvmap/
install -m 755 packaging/linux/install.sh dist/juvmap/install.sh
secs=$(( $(date +%s) - start ))

version=$("$PY" -c "import juvmap; print(juvmap.__version__)")
if [ "$TAR" = 1 ]; then
    tar -C dist -czf "dist/juvmap-${version}-linux-x86_64.tar.gz" juvmap
    du -h "dist/juvmap-${version}-linux-x86_64.tar.gz"
fi
echo "juvmap ${version}: bundle dist/juvmap built in ${secs} s, $(du -sm dist/juvmap | cut -f1) MB (${unslim} MB before slim_bundle.py)"
