#!/usr/bin/env bash
# Runs every test: Go unit and integration tests (real SQLite, Dovecot, SMTP),
# frontend unit tests, the browser end-to-end test in Chromium and the native
# window test under Xvfb. Prints "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0; failures=()
step() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); failures+=("$name"); fi
}
step "go test" go test -count=1 ./...
if [ -f frontend/package.json ] && grep -q '"test"' frontend/package.json; then
  step "frontend unit tests" bash -c 'cd frontend && npm test'
fi
for s in scripts/e2e-*.sh; do
  [ -e "$s" ] || continue
  step "$(basename "$s" .sh)" "$s"
done
echo
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
