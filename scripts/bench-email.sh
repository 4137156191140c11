#!/usr/bin/env bash
# Email sync benchmark: Tidings against mbsync (default settings) + mu index,
# on one corpus in a loopback Dovecot, in the same run.
#   scripts/bench-email.sh [N]        N messages (default 20000; use 2000 while developing)
# Needs dovecot-imapd, isync and maildir-utils; run as root (Dovecot drops to uid mail).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
for bin in dovecot doveadm mbsync mu; do
  command -v "$bin" >/dev/null || { echo "bench-email: $bin is missing (apt-get install dovecot-imapd isync maildir-utils)" >&2; exit 1; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
go build -o "$out/benchemail" ./scripts/benchemail
"$out/benchemail" -n "$N"
