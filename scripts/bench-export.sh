#!/usr/bin/env bash
# Export and import speed: writes a Maildir of N generated messages (default
# 100,000), imports it into a new store (target: >= 2,000 msg/s), imports it
# again (every message a duplicate), then exports everything to mbox (target:
# under 10 s for 100,000) and checks the count. Figures go to stdout and to
# bench-out/export.txt, with the machine's load, since the cores are shared.
#   scripts/bench-export.sh [N] [EXPORT_RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
runs="${2:-3}"
mkdir -p bench-out
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/benchexport" ./backend/export/benchexport
{
  echo "# bench-export $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
  "$work/benchexport" -n "$n" -runs "$runs" -dir "$work"
  # A peer on the same corpus and the same load: mu (maildir-utils) indexing
  # the Maildir (FIELD.md measured 779 msg/s on a 20,000-message corpus).
  if [ "${BENCH_PEERS:-1}" = 1 ] && command -v mu >/dev/null; then
    mkdir -p "$work/mu"
    mu init --muhome="$work/mu" --maildir="$work/Maildir" >/dev/null
    TIMEFORMAT='%R %U %S'
    { time mu index --muhome="$work/mu" >/dev/null 2>&1; } 2>"$work/mu.time"
    read -r real user sys <"$work/mu.time"
    awk -v n="$n" -v r="$real" -v u="$user" -v s="$sys" -v v="$(mu --version | head -1 | awk '{print $NF}')" \
      'BEGIN { printf "peer: mu index (maildir-utils %s) on the same Maildir: %.2f s = %.0f msg/s; CPU %.2f s = %.0f msg per CPU-second\n", v, r, n / r, u + s, n / (u + s) }'
  fi
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
} | tee bench-out/export.txt
