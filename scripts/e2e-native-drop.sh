#!/usr/bin/env bash
# Native-window test of files dropped by path: the production binary
# (Wails window, WebKitGTK, Wails' file drop on) under Xvfb, and a GTK drag
# source (scripts/dragsource) from which xdotool drags real files, as from a
# file manager:
#   1. an mbox dropped on the conversation list opens the import dialog
#      with that file's path; Enter imports it (the CLI counts the new
#      conversations);
#   2. a file dropped on the reply composer is attached by path: the draft
#      in the store holds the file's exact size, once.
# Screenshots are kept in build/e2e/. Prints "e2e-native-drop: PASS" or
# "e2e-native-drop: FAIL: why". Under CI=true a missing tool fails the
# test; elsewhere it prints what to install and exits 0.
#   TIDINGS_BIN=path   use this binary instead of building one
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/build/e2e

name=e2e-native-drop
. "$root/scripts/native-lib.sh"
need_tools "xvfb xauth xdotool imagemagick tesseract-ocr tesseract-ocr-eng sqlite3" xvfb-run xdotool import convert tesseract sqlite3

if [ "${1:-}" != --inside ]; then
  build_window
  go build -o build/bin/dragsource ./scripts/dragsource || fail "go build dragsource failed"
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" "$0" --inside
fi

bin=${TIDINGS_BIN:-$root/build/bin/tidings}
[ -x "$bin" ] || fail "no binary at $bin"
mkdir -p "$out"
tmp=$(mktemp -d)
pid=""
src=""
cleanup() {
  for p in $pid $src; do
    if kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# drag X Y FILE...: drags the files from a drag source (below the window)
# to X Y of the window, the way a hand does: press, move past GTK's drag
# threshold, glide over, pause, release.
drag() {
  local x=$1 y=$2; shift 2
  # It says "ready" once its window is mapped, or its window is found on
  # screen; a loaded machine can take a while, and once in a CI run it never
  # said so: up to three starts.
  local try
  for try in 1 2 3; do
    build/bin/dragsource -x 1100 -y 900 "$@" >"$tmp/dragsource.out" 2>"$tmp/dragsource.err" &
    src=$!
    for _ in $(seq 1 80); do
      grep -q ready "$tmp/dragsource.out" && break
      xdotool search --onlyvisible --name '^dragsource$' >/dev/null 2>&1 && break
      sleep 0.25
    done
    grep -q ready "$tmp/dragsource.out" && break
    xdotool search --onlyvisible --name '^dragsource$' >/dev/null 2>&1 && break
    echo "e2e-native-drop:   the drag source did not open (try $try): $(tr '\n' ' ' <"$tmp/dragsource.err")"
    kill "$src" 2>/dev/null
    wait "$src" 2>/dev/null
    src=""
  done
  [ -n "$src" ] || fail "the drag source did not open in three tries"
  sleep 0.3
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  local tx=$((X + x)) ty=$((Y + y)) i
  xdotool mousemove 1180 940 mousedown 1
  for i in 1 2 3 4 5; do xdotool mousemove $((1180 - i * 4)) $((940 - i * 4)); sleep 0.05; done
  for i in $(seq 1 12); do
    xdotool mousemove $((1160 + (tx - 1160) * i / 12)) $((920 + (ty - 920) * i / 12))
    sleep 0.08
  done
  sleep 0.5
  xdotool mousemove $((tx + 2)) $((ty + 2))
  sleep 0.3
  xdotool mouseup 1
  for _ in $(seq 1 20); do grep -q dropped "$tmp/dragsource.out" && break; sleep 0.25; done
  kill "$src" 2>/dev/null
  wait "$src" 2>/dev/null
  src=""
}

mkdir -p "$tmp/home" "$tmp/files"
"$bin" --data "$tmp/demo" demo >/dev/null || fail "tidings demo failed"
before=$("$bin" --data "$tmp/demo" conversations --status all | tail -n +2 | wc -l)
{
  printf 'From rita@drop.example Mon Nov 23 10:00:00 2026\nMessage-ID: <native-1@drop.example>\nFrom: Rita Olsen <rita@drop.example>\nTo: shop@drop.example\nSubject: Pedal wobble dropped\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\nThe left pedal wobbles.\n\n'
  printf 'From omar@drop.example Mon Nov 23 11:00:00 2026\nMessage-ID: <native-2@drop.example>\nFrom: Omar Haddad <omar@drop.example>\nTo: shop@drop.example\nSubject: Voucher dropped\nDate: Mon, 23 Nov 2026 11:00:00 +0000\n\nDo you sell vouchers?\n\n'
} >"$tmp/files/old-mail.mbox"
head -c 3000000 /dev/urandom >"$tmp/files/scan.pdf"

HOME=$tmp/home start "$tmp/demo" "$tmp/demo.log"
await_text "$out/native-drop-inbox.png" 40 "Alice Smith" "Gift voucher" || fail "the demo inbox did not show"

# 1. An mbox dropped on the list: the import dialog, with its path.
# Under load Xvfb can lose a drag (the drop never comes): up to three.
ok=0
for _ in 1 2 3; do
  drag 380 400 "$tmp/files/old-mail.mbox"
  if await_text "$out/native-drop-import.png" 15 "Import mail" "old-mail.mbox"; then ok=1; break; fi
done
[ $ok = 1 ] || fail "dropping an mbox on the list did not open the import dialog with its path (see $out/native-drop-import.png)"
xdotool key Return
await_text "$out/native-drop-imported.png" 30 "2 messages imported" ||
  fail "the dropped mbox was not imported (see $out/native-drop-imported.png)"
after=$("$bin" --data "$tmp/demo" conversations --status all | tail -n +2 | wc -l)
[ "$after" -eq $((before + 2)) ] || fail "conversations: $before before the import, $after after; want 2 more"
# Close the dialog (a click in it first: the keyboard follows the pointer).
at=$(word_at "$out/native-drop-imported.png" imported)
[ -n "$at" ] && xdotool mousemove --window "$wid" $at click 1
sleep 0.3
xdotool key Escape
sleep 0.5

# 2. A 3 MB file dropped on the reply composer of an email conversation
# (the demo's Telegram account carries no files): attached by path.
shot "$out/native-drop-list.png" >/dev/null
at=$(word_at "$out/native-drop-list.png" Isabel)
[ -n "$at" ] || fail "could not find Isabel García's email in the list"
read -r rx ry <<<"$at"
xdotool mousemove --window "$wid" "$rx" "$ry" click 1
await_text "$out/native-drop-thread.png" 15 "gift vouchers" || fail "clicking Isabel García's row did not open her email"
opened=0
for _ in 1 2 3 4 5; do
  xdotool key r
  if await_text "$out/native-drop-composer.png" 8 "Discard" "Subject"; then opened=1; break; fi
  xdotool mousemove --window "$wid" 790 250 click 1
  sleep 0.5
done
[ $opened = 1 ] || fail "r did not open the reply composer"
at=$(word_at "$out/native-drop-composer.png" Discard)
[ -n "$at" ] || fail "could not find the composer's Discard button on screen"
read -r dx dy <<<"$at"
# The text box, above the composer's buttons.
# The window says in its log when files were attached by path: wait for
# that (a loaded machine takes seconds) before trying the drag again.
attached() { grep -c 'app: files attached by path' "$tmp/demo.log"; }
ok=0
for _ in 1 2 3; do
  drag "$dx" $((dy - 90)) "$tmp/files/scan.pdf"
  for _ in $(seq 1 90); do
    [ "$(attached)" -gt 0 ] && { ok=1; break; }
    sleep 0.5
  done
  [ $ok = 1 ] && break
  echo "e2e-native-drop:   the drop on the composer did not take; again"
done
[ $ok = 1 ] || fail "nothing was attached by path after three drags on the composer (window log: $(tail -5 "$tmp/demo.log" | tr '\n' ' '))"
await_text "$out/native-drop-attached.png" 20 "scan.pdf" ||
  fail "the file attached is not listed in the composer (see $out/native-drop-attached.png)"
# The page must not read the same drop again (its wait for paths ends).
sleep 3
got=$(sqlite3 "$tmp/demo/tidings.db" "SELECT name || ' ' || size FROM draft_attachments")
[ "$got" = "scan.pdf 3000000" ] || fail "the draft holds \"$(tr '\n' ',' <<<"$got")\", want \"scan.pdf 3000000\" (once); window log: $(grep 'attached by path' "$tmp/demo.log" | tr '\n' ' ')"
grep -q 'app: files attached by path.*files=1 bytes=3000000' "$tmp/demo.log" ||
  fail "the window did not attach the file by its path: $(grep 'attached by path' "$tmp/demo.log")"
echo "e2e-native-drop:   draft attachment: $got, attached by path"
echo "e2e-native-drop: PASS (an mbox dropped on the list opened the import dialog with its path and was imported; a 3 MB file dropped on the composer was attached by path)"
