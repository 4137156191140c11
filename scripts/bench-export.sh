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
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
} | tee bench-out/export.txt
