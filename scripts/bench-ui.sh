#!/usr/bin/env bash
# Window speed benchmark (issue 4). A benchmark, not a test: it prints
# figures and never fails on speed. It
#   1. writes a store of N conversations (default 100,000; contacts, 1-5
#      messages each, statuses, labels) with backend/benchdata, kept in
#      bench-out/ui-store-N for the next run;
#   2. runs the dev-tagged binary on it under Xvfb and drives Debian's
#      Chromium with playwright-core (frontend/bench/ui-speed.mjs) over RUNS
#      fresh profiles: first rows painted, a conversation opened by click and
#      by j, fast scrolling through 5,000 rows (frames over 20 ms), and the
#      Go process's resident memory;
#   3. opens the production window under Xvfb (NATIVE_RUNS times): process
#      start -> window mapped (the X server's MapNotify, scripts/mapwatch)
#      -> inbox on screen (mapwatch captures the window from the map until
#      a capture shows the rows), and the page's own report of its rows
#      painted (navigation -> rows painted, sent to the Go side: app/boot.go
#      logs it with the web process's CPU time at the paint, a figure the
#      machine's load hardly moves). The window opens unseen and maps once
#      its rows are painted (app/windowshow), so the map -> inbox on screen
#      figure is the issue's "first list painted within 300 ms of the window
#      showing" as the screen shows it; then its memory,
#      split by /proc/PID/smaps into shared libraries (GTK, WebKitGTK, and
#      no Mesa/LLVM since app/webkitenv keeps OpenGL out of the process),
#      the binary's own pages and anonymous memory (Go runtime, SQLite's page
#      caches, GTK/WebKit heaps); once more with WebKit's GL defaults (the
#      control for app/webkitenv); then the fast scroll in WebKitGTK: the
#      page scrolls 5,000 rows as ui-speed.mjs does and then a static list
#      the same way (frontend/src/lib/benchScroll.js, TIDINGS_BENCH_SCROLL);
#      then the same window on an empty store, and an empty Wails window
#      (scripts/emptywindow: no Tidings code at all, same environment, and
#      with WebKit's GL defaults), the floor any Wails v2 app on WebKitGTK
#      starts from.
# Prints a table and saves it to bench-out/ui.txt (medians over runs).
#   N=20000 RUNS=3 scripts/bench-ui.sh      a quicker run
#   NATIVE_RUNS=0 scripts/bench-ui.sh       skip the native window
#   SCROLL_RUNS=5 scripts/bench-ui.sh       WebKitGTK scroll runs (default 3)
#   PROFILE=1 scripts/bench-ui.sh           also print where the scroll's
#                                           JavaScript time goes (unminified)
#   DIST=/path/to/dist scripts/bench-ui.sh  the Chromium part against another
#                                           build of the frontend (A/B runs)
#   TRACE=1 scripts/bench-ui.sh             also print the scroll's main and
#                                           compositor threads' time per frame
#                                           by event (a Chromium trace)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-100000}
RUNS=${RUNS:-5}
NATIVE_RUNS=${NATIVE_RUNS:-3}
store=${STORE:-$root/bench-out/ui-store-$N}
out=$root/bench-out/ui.txt

die() { echo "bench-ui: $*" >&2; exit 1; }

if [ "${1:-}" != --inside ]; then
  for t in xvfb-run node curl; do command -v "$t" >/dev/null || die "$t is missing (apt-get install xvfb xauth curl nodejs)"; done
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "chromium is missing (apt-get install chromium)"
  mkdir -p bench-out build/bin
  if [ ! -d frontend/node_modules/playwright-core ]; then
    (cd frontend && npm ci --no-audit --no-fund >/dev/null) || die "npm ci failed"
  fi
  if [ -z "${DIST:-}" ]; then
    if [ -n "${PROFILE:-}" ]; then build=(npx vite build --minify false); else build=(npm run build); fi
    (cd frontend && "${build[@]}" >/dev/null 2>&1) || die "the frontend build failed"
  fi
  go build -tags dev -o build/bin/tidings-dev . || die "go build -tags dev failed"
  if [ "$NATIVE_RUNS" -gt 0 ]; then
    go build -tags desktop,production -o build/bin/tidings . || die "go build (production) failed"
    go build -tags desktop,production -o build/bin/emptywindow ./scripts/emptywindow || die "go build emptywindow failed"
    go build -o build/bin/mapwatch ./scripts/mapwatch || die "go build mapwatch failed"
  fi
  go build -o build/bin/bench-ui-data ./backend/benchdata/cmd/bench-ui-data || die "go build bench-ui-data failed"
  if [ ! -f "$store/.complete" ]; then
    rm -rf "$store"
    echo "bench-ui: writing $N conversations into $store (once; kept for the next run)"
    build/bin/bench-ui-data -data "$store" -n "$N" >"$store.json" || die "bench-ui-data failed"
    touch "$store/.complete"
  fi
  export N RUNS NATIVE_RUNS STORE=$store
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" "$0" --inside
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
now_ms() { date +%s%3N; }
# split_of PID BIN: resident MB of shared libraries, of BIN's own mappings,
# and anonymous, from /proc/PID/smaps.
split_of() {
  awk -v bin="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / { name = $6 }
    /^Rss:/ { if (name ~ /^\/(usr\/)?lib/) lib += $2; else if (name == bin) own += $2 }
    /^Anonymous:/ { anon += $2 }
    END { printf "%.0f %.0f %.0f", lib / 1024, own / 1024, anon / 1024 }' "/proc/$1/smaps" 2>/dev/null
}

# 1. Chromium against the dev binary.
port=$(free_port)
t0=$(now_ms)
TIDINGS_DATA=$store build/bin/tidings-dev -devserver "127.0.0.1:$port" -assetdir "${DIST:-$root/frontend/dist}" >"$tmp/dev.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || die "the dev binary exited: $(tail -3 "$tmp/dev.log" | tr '\n' ' ')"
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
serve_ms=$(( $(now_ms) - t0 ))
sleep 2 # let the dev binary's own GTK window finish its first load
(cd frontend && APP_URL="http://127.0.0.1:$port/" APP_PID=$pid RUNS=$RUNS node bench/ui-speed.mjs) >"$tmp/chromium.json" 2>"$tmp/chromium.log" \
  || { tail -20 "$tmp/chromium.log"; die "frontend/bench/ui-speed.mjs failed"; }
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
if [ -n "${PROFILE:-}" ]; then grep -A15 'CPU profile' "$tmp/chromium.log" >&2; fi
if [ -n "${TRACE:-}" ]; then grep -A30 -B1 'trace of the' "$tmp/chromium.log" | grep -v '^bench-ui: run' >&2; fi

# 2. The production window under Xvfb: start -> mapped -> painted.
# find_window NAME: the window's id (xdotool's own connection to the X
# server is sometimes refused under load: ask again).
find_window() {
  local wid="" try
  for try in 1 2 3; do
    wid=$(timeout 30 xdotool search --sync --onlyvisible --name "$1" 2>/dev/null | head -1)
    [ -n "$wid" ] && break
    sleep 0.3
  done
  echo "$wid"
}
# mem_of PID BIN: "VmRSS VmHWM RssAnon libraries binary anonymous LLVM" (MB;
# LLVM 1 when libLLVM is mapped in the process, else 0).
mem_of() {
  local st=/proc/$1/status
  printf '%s %s %s %s %s\n' "$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "$st" 2>/dev/null)" \
    "$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "$st" 2>/dev/null)" "$(awk '/^RssAnon/ {printf "%.0f", $2/1024}' "$st" 2>/dev/null)" \
    "$(split_of "$1" "$2")" "$(grep -q libLLVM "/proc/$1/maps" 2>/dev/null && echo 1 || echo 0)"
}
# native_run [ENV=VALUE...]: one window on the store, figures on one line:
#   mapped painted rss hwm anon lib own anon_smaps llvm page_ms shown_ms web_cpu
#   content map_content colours maps go_cpu
# Times in ms from process start (t0, taken just before the launch) unless
# said otherwise; "nan" when not seen. mapped: the X server mapped the
# window (scripts/mapwatch gets the MapNotify event, no polling); painted:
# the page's first rows painted (its own report, on the machine's clock);
# page_ms: navigation start -> rows painted (the page's clock); shown_ms:
# window mapped -> rows painted (negative: painted before the window showed,
# as app/windowshow intends); web_cpu: the web process's main thread CPU ms
# at the paint (app/boot_cpu.go); content: the first capture of the window
# after its map that shows the inbox (mapwatch captures it from the map on,
# 200+ colours; the time the capture was asked for: the X server read the
# pixels after that, and the reply can take 20-300 ms on a loaded machine);
# map_content: mapped -> content, the issue's "within 300 ms of the window
# showing" as the screen shows it; colours: of that capture; maps: how
# often the window was mapped (1: never shown before its rows); go_cpu: the
# Go process's CPU ms at the page's report.
native_run() {
  local t0 wid="" mapped=nan mapped_at="" painted=nan seen colours line page_ms shown_ms web_cpu go_cpu
  local content=nan map_content=nan drawn=nan maps=0 mw
  "$root/build/bin/mapwatch" -name '^Tidings$' -for 3s -shots 60 -colours 200 >"$tmp/mapwatch.log" 2>&1 &
  mw=$!
  for _ in $(seq 1 100); do grep -q '^ready' "$tmp/mapwatch.log" && break; sleep 0.05; done
  t0=$(now_ms)
  env "$@" TIDINGS_BENCH_CPU=1 TIDINGS_DATA="$store" build/bin/tidings >"$tmp/native.log" 2>&1 &
  pid=$!
  # The page reports its first rows painted to the Go side, which logs it
  # (app/boot.go): wait for that line.
  for _ in $(seq 1 600); do
    grep -q 'first rows painted' "$tmp/native.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  for _ in $(seq 1 100); do kill -0 "$mw" 2>/dev/null || break; sleep 0.05; done
  kill "$mw" 2>/dev/null; wait "$mw" 2>/dev/null
  maps=$(grep -c '^mapped' "$tmp/mapwatch.log")
  mapped_at=$(awk '/^mapped/ {print $2}' "$tmp/mapwatch.log" | tail -1)
  wid=$(awk '/^mapped/ {print $3}' "$tmp/mapwatch.log" | tail -1)
  if [ -n "$mapped_at" ]; then
    mapped=$(( mapped_at - t0 ))
    read -r content drawn < <(awk -v t0="$t0" '/^shot/ && $3 >= 200 { print $2 - t0, $3; exit }' "$tmp/mapwatch.log")
    if [ -n "$content" ]; then map_content=$(( content + t0 - mapped_at )); else content=nan drawn=nan; fi
  fi
  if [ -n "$wid" ]; then
    # Then check the window really shows the inbox: the welcome page has
    # few colours; the inbox with rows, labels and a conversation hundreds.
    seen=0
    for _ in $(seq 1 50); do
      import -window "$wid" "$tmp/shot.png" 2>/dev/null || continue
      colours=$(convert "$tmp/shot.png" -format %k info: 2>/dev/null || echo 0)
      if [ "${colours:-0}" -gt 200 ]; then seen=1; break; fi
      sleep 0.2
    done
    sleep 1
    cp "$tmp/shot.png" "$root/bench-out/ui-native.png" 2>/dev/null
  fi
  line=$(grep -o 'first rows painted.*' "$tmp/native.log" | head -1)
  field() { grep -o " $1=[0-9-]*" <<<"$line" | head -1 | cut -d= -f2; }
  page_ms=$(field ms); page_ms=${page_ms:-nan}
  shown_ms=nan
  if [ -n "$(field at)" ]; then
    painted=$(( $(field at) - t0 ))
    [ -n "$mapped_at" ] && shown_ms=$(( $(field at) - mapped_at ))
  fi
  [ "${seen:-0}" = 1 ] || painted=nan
  web_cpu=$(field web_cpu); web_cpu=${web_cpu:-nan}
  go_cpu=$(field go_cpu); go_cpu=${go_cpu:-nan}
  echo "$mapped $painted $( [ -n "$wid" ] && mem_of "$pid" "$root/build/bin/tidings" || echo '0 0 0 0 0 0 0') $page_ms $shown_ms $web_cpu $content $map_content $drawn $maps $go_cpu"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
}
# WebKit's own GL defaults, which app/webkitenv turns off (set, even empty,
# they are left alone): the control for the memory the change saves.
GL_DEFAULTS=(GDK_GL= WEBKIT_DISABLE_DMABUF_RENDERER=0 WEBKIT_WEB_RENDER_DEVICE_FILE=)
native=()
gl_default="" scrolled="" base="" floor="" floor_gl=""
if [ "$NATIVE_RUNS" -gt 0 ] && command -v xdotool >/dev/null && command -v import >/dev/null; then
  for r in $(seq 1 "$NATIVE_RUNS"); do native+=("$(native_run)"); done
  gl_default=$(native_run "${GL_DEFAULTS[@]}")
  # The fast scroll in WebKitGTK (SCROLL_RUNS times, a new window each):
  # the page scrolls 5,000 rows, then a static list the same way
  # (lib/benchScroll.js), and reports the frames. The window maps once its
  # rows are painted, by when its title already carries the unread count:
  # "Tidings (N)".
  for r in $(seq 1 "${SCROLL_RUNS:-3}"); do
    TIDINGS_BENCH_SCROLL=${SCROLL_ROWS:-5000} TIDINGS_DATA=$store build/bin/tidings >"$tmp/scroll.log" 2>&1 &
    pid=$!
    if [ -n "$(find_window '^Tidings')" ]; then
      for _ in $(seq 1 240); do grep -q 'window: scrolled' "$tmp/scroll.log" && break; sleep 0.5; done
      line=$(grep -o 'window: scrolled.*' "$tmp/scroll.log" | head -1)
      if [ -n "$line" ]; then
        one=$(for k in rows frames long p95 max dom ctl_frames ctl_long ctl_p95 ctl_max seconds; do v=$(grep -o " $k=[0-9.]*" <<<"$line" | head -1 | cut -d= -f2); echo "${v:-nan}"; done | tr '\n' ' ')
        one="$one$(mem_of "$pid" "$root/build/bin/tidings" | cut -d' ' -f1)"
        for k in long_page pages cpu_web_main ctl_cpu_web_main cpu_go ctl_cpu_go; do v=$(grep -o " $k=[0-9.]*" <<<"$line" | head -1 | cut -d= -f2); one="$one ${v:-nan}"; done
        echo "$one" >>"$tmp/scroll.txt"
      fi
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  done
  scrolled=$(cat "$tmp/scroll.txt" 2>/dev/null)
fi
printf '%s\n' "${native[@]}" >"$tmp/native.txt"

# The same window on an empty data directory, and an empty Wails window
# (scripts/emptywindow: GTK and WebKitGTK without any Tidings code, with
# the same environment, app/webkitenv): the floor any Wails v2 app on
# WebKitGTK starts from; also with WebKit's GL defaults.
floor_run() { # NAME BIN [ENV=VALUE...]
  local name=$1 bin=$2; shift 2
  env "$@" TIDINGS_DATA="$tmp/empty" "$bin" >"$tmp/floor.log" 2>&1 &
  pid=$!
  if [ -n "$(find_window "$name")" ]; then sleep 3; mem_of "$pid" "$bin"; fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
}
if [ "$NATIVE_RUNS" -gt 0 ] && command -v xdotool >/dev/null; then
  mkdir -p "$tmp/empty"
  base=$(floor_run '^Tidings$' "$root/build/bin/tidings")
  floor=$(floor_run '^Empty$' "$root/build/bin/emptywindow")
  floor_gl=$(floor_run '^Empty$' "$root/build/bin/emptywindow" "${GL_DEFAULTS[@]}")
fi

FLOOR_MEM=${floor:-} FLOOR_GL_MEM=${floor_gl:-} BASE_MEM=$base GL_DEFAULT=$gl_default NATIVE_SCROLL=$scrolled LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" STORE_SIZE=$(du -sh "$store" | cut -f1) STORE_JSON=$(cat "$store.json" 2>/dev/null) SERVE_MS=$serve_ms \
  node - "$tmp/chromium.json" "$tmp/native.txt" <<'EOF' | tee "$out"
const fs = require('fs');
const c = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const nat = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : NaN; };
const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const ok = (v, t) => (Number.isFinite(v) ? (v <= t ? 'met' : 'MISSED') : '');
const rows = [];
const row = (what, value, target, verdict) => rows.push([what, value, target, verdict]);
const store = process.env.STORE_JSON ? JSON.parse(process.env.STORE_JSON) : {};
// The issue's "first list painted within 300 ms of the window showing" is
// the native window's map -> inbox on screen (below); in Chromium, the page
// loads from the dev server after the navigation, a different clock.
row('Chromium: first rows painted (navigation -> rows, median)', `${f(c.first_rows_ms.median)} ms`, '', 'page load; the window: see native');
const p = c.first_rows_parts || {};
row('  first page answered / script runs / page in hand / rows in DOM', `${f(p.boot)} / ${f(p.script)} / ${f(p.data)} / ${f(p.dom)} ms`, '', '');
row('  first frame: elements / rows; script / CSS loaded before it', `${f(p.elements)} / ${f(p.rows)}; ${f(p.js_kb)} / ${f(p.css_kb)} KB`, '', '');
row('  first run (cold Go caches)', `${f(c.first_rows_ms.cold)} ms`, '', '');
row('  first contentful paint (median)', `${f(c.fcp_ms.median)} ms`, '', '');
row('conversation opened by click (median)', `${f(c.open_click_ms.median)} ms`, '<= 100 ms', ok(c.open_click_ms.median, 100));
row('conversation opened by j (median)', `${f(c.open_j_ms.median)} ms`, '<= 100 ms', ok(c.open_j_ms.median, 100));
row(`fast scroll: frames > 20 ms (of ${f(c.scroll.frames)}, ${f(c.scroll.rows)} rows)`, `${f(c.scroll.long_frames)}`, '0', c.scroll.long_frames === 0 ? 'met' : c.scroll.long_frames <= c.control.long_frames ? 'at the machine floor' : 'MISSED');
row('  control: same scroll, static page, frames > 20 ms', `${f(c.control.long_frames)} of ${f(c.control.frames)}`, '', 'machine floor');
row('  frames > 16.7 ms: app / control (median)', `${f(c.scroll.over_frame_ms)} / ${f(c.control.over_frame_ms)}`, '', '');
row('  frame time p95 / max (median); control p95 / max', `${c.scroll.p95_ms.toFixed(1)} / ${f(c.scroll.max_ms)}; ${(c.control.p95_ms ?? NaN).toFixed(1)} / ${f(c.control.max_ms)} ms`, '', '');
const pf = (x) => (x ? `${x.layouts} / ${x.style_recalcs} / ${x.nodes_added} / ${x.layout_ms} / ${x.style_ms} / ${x.script_ms} / ${x.task_ms}` : 'n/a');
row('  per frame: layouts / style recalcs / nodes added / layout, style, script, task ms', pf(c.per_frame), '', '');
row('  control per frame (same counters)', pf(c.control_per_frame), '', '');
row('  rows in the DOM after scrolling', `${f(c.rows_in_dom)}`, '', c.rows_in_dom < 200 ? 'virtualized' : 'NOT virtualized');
row('Go process (dev build serving Chromium) VmRSS / VmHWM / RssAnon', `${f(c.mem?.rss_mb)} / ${f(c.mem?.hwm_mb)} / ${f(c.mem?.anon_mb)} MB`, '', 'dev server; the window: see native');
if (c.go_mem) row('  of which Go runtime: all / heap objects (after the scroll)', `${c.go_mem.go_total_mb.toFixed(1)} / ${c.go_mem.go_heap_mb.toFixed(1)} MB`, '', '');
if (nat.length) {
  // One line per native run: mapped painted rss hwm anon lib own anon_smaps llvm page_ms shown_ms web_cpu
  // content map_content colours maps go_cpu ("nan" when not seen; shown_ms may be negative)
  const col = (i) => nat.map((n) => n[i]).filter((x) => Number.isFinite(x) && x >= 0);
  const any = (i) => nat.map((n) => n[i]).filter((x) => Number.isFinite(x));
  const medOf = (i) => med(col(i));
  const seenOr = (xs, s) => (xs.length ? s : 'not seen');
  const mc = col(13);
  row('native window: mapped -> inbox on screen (first capture with rows, median)', seenOr(mc, `${f(med(mc))} ms`), '<= 300 ms', mc.length ? ok(med(mc), 300) : '');
  const shown = any(10);
  row('  rows painted, relative to the map (negative: before it; median)', seenOr(shown, `${f(med(shown))} ms`), '', '');
  row('  times the window was mapped (per run)', nat.map((n) => f(n[15])).join(', '), '1', nat.every((n) => n[15] === 1) ? 'never shown blank' : 'MAPPED EARLY');
  row('native window mapped (process start -> X map, median)', seenOr(col(0), `${f(medOf(0))} ms`), '', '');
  row('native inbox on screen (process start -> first capture with rows, median)', seenOr(col(12), `${f(medOf(12))} ms`), '', 'launch to content');
  row('  process start -> rows painted (page report, median)', seenOr(col(1), `${f(medOf(1))} ms`), '', '');
  const pageMs = col(9);
  row('  page start -> rows painted (page clock, median)', seenOr(pageMs, `${f(med(pageMs))} ms`), '', '');
  row('  web process main thread / Go process CPU at the paint (median)', `${f(medOf(11))} / ${f(medOf(16))} ms`, '', 'CPU time (less load-bound)');
  row('native process VmRSS / VmHWM / RssAnon (median)', `${f(medOf(2))} / ${f(medOf(3))} / ${f(medOf(4))} MB`, '< 150 MB', ok(medOf(2), 150));
  row('  shared libraries / tidings binary / anonymous', `${f(medOf(5))} / ${f(medOf(6))} / ${f(medOf(7))} MB`, '', medOf(8) > 0 ? 'libLLVM mapped' : 'no libLLVM');
  const nums = (v) => (v || '').trim().split(/\s+/).filter(Boolean).map(Number);
  const g = nums(process.env.GL_DEFAULT);
  if (g.length >= 9) row("  with WebKit's GL defaults (no app/webkitenv): VmRSS; libraries / anonymous", `${f(g[2])}; ${f(g[5])} / ${f(g[7])} MB`, '', g[8] > 0 ? 'libLLVM mapped' : 'no libLLVM');
  const e = nums(process.env.FLOOR_MEM);
  if (e.length >= 7) row('  empty Wails window: VmRSS / RssAnon; libraries / binary', `${f(e[0])} / ${f(e[2])}; ${f(e[3])} / ${f(e[4])} MB`, '', e[0] >= 150 ? 'floor > target' : 'floor');
  const eg = nums(process.env.FLOOR_GL_MEM);
  if (eg.length >= 7) row("  empty Wails window, WebKit's GL defaults: VmRSS / RssAnon; libraries", `${f(eg[0])} / ${f(eg[2])}; ${f(eg[3])} MB`, '', 'floor before');
  const b = nums(process.env.BASE_MEM);
  if (b.length >= 7) row('  same window, empty store: VmRSS / RssAnon', `${f(b[0])} / ${f(b[2])} MB`, '', 'floor');
  // One line per scroll run: rows frames long p95 max dom ctl_frames ctl_long
  // ctl_p95 ctl_max seconds rss long_page pages cpu_web_main ctl_cpu_web_main
  // cpu_go ctl_cpu_go
  const runs = (process.env.NATIVE_SCROLL || '').trim().split('\n').map(nums).filter((r) => r.length >= 12);
  if (runs.length) {
    const sm = (i) => med(runs.map((r) => r[i]).filter(Number.isFinite));
    const per = (i) => runs.map((r) => f(r[i])).join(', ');
    const long = sm(2);
    row(`native fast scroll: frames > 20 ms (median of ${runs.length}; of ${f(sm(1))}, ${f(sm(0))} rows in ${sm(10).toFixed(1)} s)`, `${f(long)}`, '0', long === 0 ? 'met' : long <= sm(7) ? 'at the machine floor' : 'MISSED');
    row('  control: same scroll, static list, same window: frames > 20 ms (median)', `${f(sm(7))} of ${f(sm(6))}`, '', 'machine floor');
    row('  per run: app / control frames > 20 ms', runs.map((r) => `${f(r[2])}/${f(r[7])}`).join(', '), '', '');
    row('  long frames as a page of conversations arrived (per run; pages loaded)', `${per(12)} (${f(sm(13))} pages)`, '', '');
    const perFrame = (i, fi) => sm(i) / sm(fi);
    row('  CPU per frame, web process main thread: app / control (median)', `${perFrame(14, 1).toFixed(1)} / ${perFrame(15, 6).toFixed(1)} ms`, '', perFrame(14, 1) <= perFrame(15, 6) ? 'app <= control' : 'app > control');
    row('  CPU per frame, window (Go, GTK) process: app / control (median)', `${perFrame(16, 1).toFixed(1)} / ${perFrame(17, 6).toFixed(1)} ms`, '', 'CPU time (less load-bound)');
    row('  frame time p95 / max; control p95 / max (medians)', `${sm(3).toFixed(1)} / ${f(sm(4))}; ${sm(8).toFixed(1)} / ${f(sm(9))} ms`, '', '');
    row('  rows in the DOM after scrolling; VmRSS after', `${f(sm(5))}; ${f(sm(11))} MB`, '', sm(5) < 200 ? 'virtualized' : 'NOT virtualized');
  } else row('native fast scroll', 'not seen', '', '');
}
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log(`Tidings window benchmark, ${new Date().toISOString().slice(0, 16)}Z, ${require('os').cpus().length} CPUs (shared)`);
console.log(`store: ${store.conversations ?? '?'} conversations, ${store.messages ?? '?'} messages, ${store.contacts ?? '?'} contacts, ${process.env.STORE_SIZE}; dev server up in ${process.env.SERVE_MS} ms`);
console.log(`Chromium ${c.runs} runs (fresh profiles), medians; native window ${nat.length} runs; load average ${process.env.LOAD} at the end`);
for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${String(r[1]).padStart(w[1])}  ${String(r[2]).padEnd(w[2])}  ${r[3]}`);
console.log(`per run: first rows ${c.first_rows_ms.all.map(f).join(', ')} ms${nat.length ? `; native map -> inbox on screen ${nat.map((n) => f(n[13])).join(', ')} ms, start -> inbox on screen ${nat.map((n) => f(n[12])).join(', ')} ms (web CPU ${nat.map((n) => f(n[11])).join(', ')})` : ''}; click ${c.open_click_ms.all.map(f).join(', ')} ms; j ${c.open_j_ms.all.map(f).join(', ')} ms; long frames ${c.scroll.long_frames_all.join(', ')} (control ${(c.control.long_frames_all || []).join(', ')})`);
EOF
