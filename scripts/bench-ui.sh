#!/usr/bin/env bash
# Window benchmark (not a test: it prints figures, never fails on speed).
# Seeds a store of N conversations (default 100,000) with app/cmd/uibench-seed,
# then:
#   1. the dev binary serves the UI to Chromium (frontend/bench/ui.mjs): first
#      list painted, conversation opened, scrolling frame times, the Go
#      process's resident memory;
#   2. the production binary opens its real window under Xvfb on the same
#      store: time from start to the window mapped and to the inbox painted
#      (screenshots), and its resident memory after that.
# Figures go to bench-out/ui.txt.
#   N=20000 scripts/bench-ui.sh     # a quicker run
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-100000}
out=$root/bench-out/ui.txt

for t in xvfb-run xdotool import convert node; do
  command -v "$t" >/dev/null || { echo "bench-ui: $t is missing; skipped"; exit 0; }
done
[ -x /usr/bin/chromium ] || { echo "bench-ui: chromium is missing; skipped"; exit 0; }

if [ "${1:-}" != --inside ]; then
  mkdir -p bench-out build/bin
  (cd frontend && npm run build >/dev/null 2>&1) || { echo "bench-ui: npm run build failed"; exit 1; }
  go build -tags dev -o build/bin/tidings-dev . || exit 1
  go build -tags desktop,production -o build/bin/tidings . || exit 1
  go build -o build/bin/uibench-seed ./app/cmd/uibench-seed || exit 1
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" "$0" --inside
fi

tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
{
  echo "Tidings window benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  build/bin/uibench-seed -n "$N" "$tmp/data"
  build/bin/tidings --data "$tmp/demo" demo >/dev/null
  echo "store size: $(du -sh "$tmp/data" | cut -f1)"

  echo "-- 1. Chromium against the dev binary"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  TIDINGS_DATA=$tmp/data build/bin/tidings-dev -devserver "127.0.0.1:$port" -assetdir "$root/frontend/dist" >"$tmp/dev.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
  (cd frontend && APP_URL="http://127.0.0.1:$port/" APP_PID=$pid timeout 600 node bench/ui.mjs) || echo "bench-ui: the Chromium part failed"

  kill "$pid"; wait "$pid" 2>/dev/null; pid=""

  echo "-- 2. the production window under Xvfb"
  # The same start on the 22-conversation demo store is the baseline: the
  # difference is what the store's size costs.
  for run in 1 2 3 demo1 demo2; do
    data=$tmp/data
    case $run in demo*) data=$tmp/demo ;; esac
    t0=$(date +%s%N)
    TIDINGS_DATA=$data build/bin/tidings >"$tmp/prod.log" 2>&1 &
    pid=$!
    wid=""
    for _ in $(seq 1 1500); do
      wid=$(xdotool search --onlyvisible --name '^Tidings' 2>/dev/null | head -1)
      [ -n "$wid" ] && break
      sleep 0.02
    done
    [ -n "$wid" ] || { echo "run $run: no window within 30 s"; kill "$pid"; pid=""; continue; }
    t1=$(date +%s%N)
    for _ in $(seq 1 600); do
      colours=$(import -window "$wid" "$tmp/s.png" 2>/dev/null && convert "$tmp/s.png" -format %k info: 2>/dev/null)
      [ "${colours:-0}" -gt 1500 ] && break
      sleep 0.02
    done
    t2=$(date +%s%N)
    sleep 1
    [ "$run" = 1 ] && import -window "$wid" "$root/bench-out/ui-window.png" 2>/dev/null
    mem=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
    # Private memory leaves out the shared GTK and WebKit libraries.
    priv=$(awk '/^Private_(Clean|Dirty)/ {s += $2} END {printf "%.0f", s/1024}' "/proc/$pid/smaps_rollup")
    echo "run $run ($(basename "$data")): window mapped $(( (t1 - t0) / 1000000 )) ms after start, inbox painted $(( (t2 - t0) / 1000000 )) ms after start ($(( (t2 - t1) / 1000000 )) ms after the window), resident ${mem} MB (private ${priv} MB)"
    kill "$pid"; wait "$pid" 2>/dev/null; pid=""
  done
} 2>&1 | tee "$out"
echo "bench-ui: figures in $out"
