#!/usr/bin/env bash
# Runs every benchmark (scripts/bench-*.sh) and keeps their figures in
# bench-out/. Benchmarks print medians and ratios; they never fail on speed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-out
status=0
for s in scripts/bench-*.sh; do
  [ -e "$s" ] || continue
  echo "== $(basename "$s" .sh)"
  "$s" || status=1
done
echo "figures kept in bench-out/"
exit $status
