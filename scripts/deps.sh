#!/usr/bin/env bash
# Installs what building and testing Tidings needs and is missing: Debian
# packages (as root, or through sudo), npm packages, Go modules. A warm
# machine skips every step that is already done.
#   scripts/deps.sh build   packages to build and run the window
#   scripts/deps.sh test    everything the tests need as well
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev)
if [ "$what" = test ]; then
  pkgs+=(xvfb xauth x11-utils xdotool imagemagick chromium dovecot-imapd
         libpython3.11-testsuite poppler-utils python3 fonts-noto-core fonts-noto-cjk
         tesseract-ocr tesseract-ocr-eng isync maildir-utils sqlite3 dbus-daemon)
fi
command -v node >/dev/null || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
      echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
go mod download
