#!/usr/bin/env bash
# Browser end-to-end test: the dev-tagged binary serves the UI and the live Go
# bindings (over its dev server's websocket) on a free port, and Debian's
# Chromium, driven by playwright-core from node's test runner, works the
# inbox: frontend/e2e/*.test.mjs. Three data directories: a seeded demo
# workspace (APP_URL), an empty one for the first launch (EMPTY_URL), and
# one holding the hostile HTML mail corpus of backend/htmlsafe (HOSTILE_URL).
# Prints "e2e-browser: PASS" or "e2e-browser: FAIL: why". Under CI=true a
# missing tool fails the test; elsewhere it prints what to install and
# exits 0.
#   TIDINGS_DEV_BIN=path   use this dev binary instead of building one
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fail() { echo "e2e-browser: FAIL: $*"; exit 1; }

missing=()
command -v xvfb-run >/dev/null || missing+=("xvfb-run (apt-get install xvfb xauth)")
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("chromium (apt-get install chromium)")
command -v node >/dev/null || missing+=("node (Node.js 20 or newer)")
command -v curl >/dev/null || missing+=("curl (apt-get install curl)")
command -v dbus-daemon >/dev/null || missing+=("dbus-daemon (apt-get install dbus-daemon)")
[ -d frontend/node_modules/playwright-core ] || missing+=("frontend/node_modules (cd frontend && npm ci)")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = true ]; then fail "missing ${missing[*]}"; fi
  echo "e2e-browser: SKIP: missing ${missing[*]}"
  exit 0
fi

if [ "${1:-}" != --inside ]; then
  if [ -z "${TIDINGS_DEV_BIN:-}" ]; then
    echo "e2e-browser: building the frontend and build/bin/tidings-dev (dev)"
    buildlog=$(mktemp)
    (cd frontend && npm run build) >"$buildlog" 2>&1 || { tail -30 "$buildlog"; rm -f "$buildlog"; fail "npm run build failed"; }
    rm -f "$buildlog"
    go build -tags dev -o build/bin/tidings-dev . || fail "go build -tags dev failed"
    export TIDINGS_DEV_BIN=$root/build/bin/tidings-dev
  fi
  go build -o build/bin/hostileseed ./backend/htmlsafe/cmd/hostileseed || fail "go build hostileseed failed"
  go build -o build/bin/fakenotify ./backend/notify/cmd/fakenotify || fail "go build fakenotify failed"
  # The dev binary opens its GTK window too, hence Xvfb.
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" "$0" --inside
fi

bin=${TIDINGS_DEV_BIN:-$root/build/bin/tidings-dev}
[ -x "$bin" ] || fail "no dev binary at $bin"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# serve DATADIR NAME: starts the dev binary on a free port, prints its URL.
serve() {
  local port log=$tmp/$2.log
  port=$(free_port)
  # A home of its own: saved attachments land in $tmp/home-NAME/Downloads.
  mkdir -p "$tmp/home-$2"
  HOME=$tmp/home-$2 TIDINGS_DATA=$1 "$bin" -devserver "127.0.0.1:$port" -assetdir "$root/frontend/dist" >"$log" 2>&1 &
  pids+=($!)
  local p=$!
  for _ in $(seq 1 150); do
    kill -0 "$p" 2>/dev/null || { echo "e2e-browser: the dev binary exited: $(tail -3 "$log" | tr '\n' ' ')" >&2; return 1; }
    if curl -fs -o /dev/null "http://127.0.0.1:$port/"; then
      echo "http://127.0.0.1:$port/"
      return 0
    fi
    sleep 0.2
  done
  echo "e2e-browser: the dev server on port $port did not answer within 30s" >&2
  return 1
}

"$bin" --data "$tmp/demo" demo >/dev/null || fail "tidings-dev demo failed"
"$bin" --data "$tmp/search" demo >/dev/null || fail "tidings-dev demo (search) failed"
"$bin" --data "$tmp/export" demo >/dev/null || fail "tidings-dev demo (export) failed"
mkdir -p "$tmp/empty"
"$root/build/bin/hostileseed" "$tmp/hostile" "$root/backend/htmlsafe/testdata/hostile" >/dev/null || fail "hostileseed failed"
APP_URL=$(serve "$tmp/demo" demo) || fail "could not start the demo workspace"
EMPTY_URL=$(serve "$tmp/empty" empty) || fail "could not start the empty workspace"
HOSTILE_URL=$(serve "$tmp/hostile" hostile) || fail "could not start the hostile workspace"
# search.test.mjs reads and saves in its own demo workspace (the tests run in parallel).
SEARCH_URL=$(serve "$tmp/search" search) || fail "could not start the search workspace"
# desktop.test.mjs (settings, merge, notifications) works in its own demo
# workspace, whose window shows its notifications on a private D-Bus with a
# fake freedesktop notification server (NOTIFY_CONTROL lists and clicks them).
"$bin" --data "$tmp/desktop" demo >/dev/null || fail "tidings-dev demo (desktop) failed"
mkdir -p "$tmp/notify"
"$root/build/bin/fakenotify" "$tmp/notify" >"$tmp/notify.out" 2>"$tmp/fakenotify.log" &
pids+=($!)
for _ in $(seq 1 50); do grep -q NOTIFY_CONTROL "$tmp/notify.out" 2>/dev/null && break; sleep 0.1; done
NOTIFY_CONTROL=$(sed -n 's/^NOTIFY_CONTROL=//p' "$tmp/notify.out")
notify_bus=$(sed -n 's/^DBUS_SESSION_BUS_ADDRESS=//p' "$tmp/notify.out")
[ -n "$NOTIFY_CONTROL" ] || fail "fakenotify did not start: $(cat "$tmp/fakenotify.log")"
DESKTOP_URL=$(DBUS_SESSION_BUS_ADDRESS=$notify_bus serve "$tmp/desktop" desktop) || fail "could not start the desktop workspace"
DESKTOP_DATA=$tmp/desktop
TIDINGS_BIN=$bin
# export.test.mjs imports, forgets a contact and restores: a workspace of its own.
EXPORT_URL=$(serve "$tmp/export" export) || fail "could not start the export workspace"
export APP_URL EMPTY_URL HOSTILE_URL SEARCH_URL DESKTOP_URL DESKTOP_DATA TIDINGS_BIN NOTIFY_CONTROL EXPORT_URL

# E2E_FILES="e2e/hostile.test.mjs ..." runs only those files (while developing).
if (cd frontend && node --test --test-reporter=spec ${E2E_FILES:-e2e/}); then
  echo "e2e-browser: PASS (demo inbox: list, read, close, label, note, keyboard, customer panel merge/undo, composer and drafts; messaging channels: health lines, merge suggestions, reply channel, website snippet; first launch and demo button; settings (labels, accounts, notifications), conversation merge and undo, a desktop notification clicked open; export to mbox/JSON/CSV, import, backup, forget, restore through the dialogs; hostile HTML corpus: no script, no request, no parent.go)"
else
  for f in "$tmp"/*.log; do echo "--- $(basename "$f")"; tail -20 "$f"; done
  fail "node --test frontend/e2e/ failed (see above)"
fi
