#!/bin/sh
# Search benchmark (not a test): generates N messages (default 1,000,000)
# straight into a store, merges its full-text index to one segment (as
# `tidings import` and the window's background upkeep do) and prints p50/p95
# wall time and p50 CPU time of typical queries, view paging
# at depth, `tidings search` wall time from a terminal, and a comparison
# with `notmuch search --limit=50` on a corpus of M messages (default
# 100,000) built as both a store and a Maildir in the same run. The figures
# table is saved to bench-out/search.txt. Takes CPU for several minutes.
#   N=100000 M=20000 scripts/bench-search.sh     # a quicker run
#   BIN=/path/to/tidings scripts/bench-search.sh  # time another binary
#   DIR=/tmp/bs scripts/bench-search.sh -reuse    # keep the stores and the
#                                                 # notmuch index for a rerun
set -eu
cd "$(dirname "$0")/.."
N=${N:-1000000}
M=${M:-100000}
mkdir -p bench-out build/bin
go build -o build/bin/bench-search ./backend/search/cmd/bench-search
if [ -z "${BIN:-}" ]; then
	# The desktop binary as users run it: it links GTK and WebKit, whose
	# loading is part of every command's start-up. The same program built
	# without the window's tags shows the start-up without them.
	go build -tags desktop,production -o build/bin/tidings-desktop .
	go build -o build/bin/tidings-cli .
	BIN=build/bin/tidings-desktop
	CLI=build/bin/tidings-cli
fi
if ! command -v notmuch >/dev/null 2>&1; then
	echo "bench-search: notmuch not installed, the comparison is skipped (apt-get install notmuch)" >&2
	M=0
fi
exec build/bin/bench-search -n "$N" -notmuch "$M" -bin "$BIN" -cli "${CLI:-}" -dir "${DIR:-}" -out bench-out/search.txt "$@"
