#!/usr/bin/env bash
# Run the built bundle with no network at all (a fresh network namespace: only a down `lo`).
#
#   bash packaging/smoke_offline.sh [BUNDLE_DIR]      # default dist/juvmap
#
# Checks, each in its own namespace, as a fresh user (empty HOME and cache, clean
# environment, working directory outside the checkout):
#   1. the namespace really has no network interface but lo;
#   2. GDAL/PROJ data of pyogrio, rasterio and pyproj resolve inside the bundle;
#   3. `juvmap --smoke-test`: the window starts, the map is ready, 0 blocked requests;
#   4. `juvmap sheets --region KZ-75 --lang ru`: a PDF whose text has the region's name;
#   5. the other headless commands: rates -> GeoPackage, load CSV, kde -> GeoTIFF,
#      map (Kazakh) -> HTML that links nothing remote.
# Needs root or unprivileged user namespaces (`unshare -n`, else `unshare -rn`), and pdftotext.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$(cd "${1:-$HERE/dist/juvmap}" && pwd)
REGION=${REGION:-KZ-75}
EXE="$BUNDLE/juvmap"
[ -x "$EXE" ] || { echo "no bundle at $BUNDLE (run packaging/build.sh)" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "pdftotext (poppler-utils) is needed" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"
if unshare -n true 2>/dev/null; then NS=(unshare -n --); else NS=(unshare -rn --); fi
offline() {  # run a command offline with a clean environment
    (cd "$WORK" && env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 \
        JUVMAP_CACHE="$WORK/cache" QT_QPA_PLATFORM=offscreen \
        QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu" "$@" \
        "${NS[@]}" "${RUN[@]}")
}
fail() { echo "FAIL: $*" >&2; exit 1; }

RUN=(awk -F: 'NR > 2 {gsub(/ /, "", $1); print $1}' /proc/net/dev)
ifaces=$(offline)
[ "$ifaces" = "lo" ] || fail "the namespace has network interfaces: $ifaces"
echo "network namespace: interfaces = $ifaces"

# the bundle's own messages (Chromium, Qt) go to $WORK/*.log and are shown on failure
RUN=("$EXE")
check=$(offline JUVMAP_BUNDLE_CHECK=1 2>"$WORK/check.log") || { cat "$WORK/check.log" >&2; fail "GDAL/PROJ data check: $check"; }
echo "gdal/proj: $check"

RUN=("$EXE" --smoke-test)
start=$(date +%s%N)
smoke=$(offline 2>"$WORK/smoke.log" | tail -n 1) || { cat "$WORK/smoke.log" >&2; fail "juvmap --smoke-test exited non-zero: $smoke"; }
echo "smoke test: $smoke (wall $(( ($(date +%s%N) - start) / 1000000 )) ms)"
grep -q '"blocked_requests": 0[,}]' <<<"$smoke" || fail "requests were blocked: $smoke"

RUN=("$EXE" sheets --out "$WORK/sheets" --region "$REGION" --lang ru)
offline >"$WORK/sheets.log" 2>&1 || { cat "$WORK/sheets.log" >&2; fail "juvmap sheets"; }
pdf=$(find "$WORK/sheets" -name "${REGION}_*.pdf" | head -n 1)
[ -s "$pdf" ] || fail "no PDF written: $(ls -R "$WORK/sheets")"
name=$(awk -F, -v code="$REGION" 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR > 1 && $col["iso_3166_2"] == code {print $col["name_ru"]}' "$BUNDLE/_internal/juvmap/data/regions.csv")
pdftotext "$pdf" "$WORK/sheet.txt"
grep -q "$name" "$WORK/sheet.txt" || fail "the sheet $pdf does not name $name"
echo "sheet: $(basename "$pdf") ($(du -h "$pdf" | cut -f1)), names \"$name\""
DEMO="$BUNDLE/_internal/juvmap/data/demo_incidents.csv"
RUN=(sh -c '"$0" rates --out rates.gpkg && "$0" load --json "$1" >load.json &&
    "$0" kde --data "$1" --out kde.tif && "$0" map --lang kk --out map.html' "$EXE" "$DEMO")
offline >"$WORK/commands.log" 2>&1 || { cat "$WORK/commands.log" >&2; fail "headless commands"; }
for f in rates.gpkg load.json kde.tif map.html; do [ -s "$WORK/$f" ] || fail "$f not written"; done
grep -q '"rejected": 0' "$WORK/load.json" || fail "load: $(cut -c1-200 "$WORK/load.json")"
if grep -qE '(src|href)="(https?:)?//' "$WORK/map.html"; then fail "map.html links remote files"; fi
echo "commands: rates.gpkg $(du -h "$WORK/rates.gpkg" | cut -f1), kde.tif $(du -h "$WORK/kde.tif" | cut -f1), map.html $(du -h "$WORK/map.html" | cut -f1), load: $(cut -c1-80 "$WORK/load.json")"
echo "OK: offline smoke test passed"
