# Shared by the native-window tests (scripts/e2e-native.sh,
# e2e-native-drop.sh, e2e-native-show.sh): sourced after setting
#   name   the test's name, the prefix of every line it prints
#   root   the repository's root; out: where screenshots are kept
# A function that fails the test ends it with "NAME: FAIL: why".

fail() { echo "$name: FAIL: $*"; exit 1; }

# need_tools "APT PACKAGES" TOOL...: under CI=true a missing tool fails the
# test; elsewhere the test prints what to install and exits 0.
need_tools() {
  local pkgs=$1 t missing=()
  shift
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local msg="missing ${missing[*]} (apt-get install $pkgs)"
  if [ "${CI:-}" = true ]; then fail "$msg"; fi
  echo "$name: SKIP: $msg"
  exit 0
}

# build_window: the frontend and the production binary at build/bin/tidings,
# unless TIDINGS_BIN names one; exports TIDINGS_BIN.
build_window() {
  [ -n "${TIDINGS_BIN:-}" ] && return 0
  echo "$name: building the frontend and build/bin/tidings (desktop,production)"
  local buildlog
  buildlog=$(mktemp)
  (cd "$root/frontend" && npm run build) >"$buildlog" 2>&1 || { tail -30 "$buildlog"; rm -f "$buildlog"; fail "npm run build failed"; }
  rm -f "$buildlog"
  (cd "$root" && go build -tags desktop,production -o build/bin/tidings .) || fail "go build failed"
  export TIDINGS_BIN=$root/build/bin/tidings
}

# start DATADIR LOG: runs the window ($bin) and sets pid and wid.
start() {
  TIDINGS_DATA=$1 "$bin" >"$2" 2>&1 &
  pid=$!
  wid=""
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail "the app exited before opening a window: $(tail -3 "$2" | tr '\n' ' ')"
    wid=$(xdotool search --onlyvisible --name '^Tidings' 2>/dev/null | head -1)
    [ -n "$wid" ] && return 0
    sleep 0.25
  done
  fail "no window named Tidings appeared within 30s"
}

stop() {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=""
}

# shot FILE: screenshot of the window; prints its colour count.
shot() {
  import -window "$wid" "$1" 2>/dev/null || { echo 0; return; }
  convert "$1" -format %k info: 2>/dev/null || echo 0
}

# ocr FILE: the text on a screenshot, upscaled for small UI fonts.
ocr() {
  convert "$1" -resize 200% "$tmp/ocr.png" && tesseract "$tmp/ocr.png" - 2>/dev/null
}

# await_text FILE TIMEOUT WORDS...: screenshot until every word (case-
# insensitive) is on screen and the page has painted; false on timeout.
# The text read is kept beside the screenshot (.txt).
await_text() {
  local file=$1 secs=$2
  shift 2
  local end=$((SECONDS + secs)) colors text ok w
  while [ $SECONDS -lt $end ]; do
    colors=$(shot "$file")
    if [ "${colors:-0}" -gt 50 ]; then
      text=$(ocr "$file")
      ok=1
      for w in "$@"; do grep -qiF -- "$w" <<<"$text" || { ok=0; break; }; done
      if [ $ok = 1 ]; then
        printf '%s' "$text" >"${file%.png}.txt"
        echo "$name:   $(basename "$file"): $colors colours, found: $*"
        return 0
      fi
    fi
    sleep 0.5
  done
  printf '%s' "${text:-}" >"${file%.png}.txt"
  echo "$name:   $(basename "$file"): last colour count ${colors:-0}; OCR text in ${file%.png}.txt"
  return 1
}

# word_at FILE WORD: the middle of WORD on the screenshot, as "x y".
word_at() {
  convert "$1" -resize 200% "$tmp/ocr.png"
  tesseract "$tmp/ocr.png" - tsv 2>/dev/null | awk -F'\t' -v w="$2" '$12 == w { print int(($7 + $9 / 2) / 2), int(($8 + $10 / 2) / 2); exit }'
}

# click_word FILE WORD: clicks the middle of WORD as OCR located it.
click_word() {
  local box
  box=$(word_at "$1" "$2")
  [ -n "$box" ] || return 1
  # No window manager: focus follows the pointer.
  xdotool mousemove --window "$wid" $box click 1
}
