#!/usr/bin/env bash
# Installs the system libraries QtWebEngine needs when they are missing (Debian/Ubuntu, as root).
# Also poppler-utils (pdftotext, used by tests) and xvfb (screenshots).
# Does nothing when they are already there or when we cannot install them.
set -u
missing=()
for tool in pdftotext Xvfb desktop-file-validate makensis; do command -v $tool >/dev/null || missing+=("$tool"); done
for lib in libnss3.so libxkbcommon.so.0 libasound.so.2 libxcomposite.so.1 libxdamage.so.1 \
           libxrandr.so.2 libxtst.so.6 libxshmfence.so.1 libgbm.so.1 libEGL.so.1 libfontconfig.so.1 \
           libxkbfile.so.1 libxcb-cursor.so.0; do
  ldconfig -p 2>/dev/null | grep -qi "$lib" || missing+=("$lib")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system libraries missing for QtWebEngine: ${missing[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install them with your package manager (see README)"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq libnss3 libxkbcommon0 libxkbcommon-x11-0 libasound2 libxcomposite1 libxdamage1 \
  libxrandr2 libxtst6 libxshmfence1 libgbm1 libegl1 libfontconfig1 libxkbfile1 libxcb-cursor0 \
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xinerama0 \
  fonts-dejavu-core poppler-utils xvfb xauth desktop-file-utils nsis >/dev/null 2>&1 || echo "apt-get could not install every library"
exit 0
