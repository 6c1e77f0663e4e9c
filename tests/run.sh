#!/usr/bin/env bash
# `make test`: every check the project has, in order, each stage timed. It first runs
# tools/setup.sh (Debian packages, Python modules, the pinned tools), so it works on a fresh
# machine. A pack's own tests are found by looking in tests/packs/<pack>/: on_nomad.py (on a real
# Nomad agent) and test_*.py (pytest); nothing is listed by hand. A failing stage does not hide the
# others; the run fails if any stage failed.
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/../tools/env.sh"
cd "$REPO" || exit 1

passed=0 failed=0 failures=()
stage() {
  local name="$1" start rc; shift
  echo; echo "=== $name ($(date -u +%H:%M:%S))"
  start=$(date +%s)
  "$@"; rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); echo "=== $name: ok in $(( $(date +%s) - start ))s"
  else failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED (exit $rc) after $(( $(date +%s) - start ))s"; fi
}

stage setup tools/setup.sh test
if [ $failed -gt 0 ]; then
  echo "test stages: 0 passed, 1 failed (the set-up failed: nothing else can run)"
  exit 1
fi
stage lint tests/lint.sh
stage test-service make --no-print-directory test-service
stage validate tests/validate.sh
stage test-validate tests/test-validate.sh
for dir in tests/packs/*/; do
  pack=$(basename "$dir")
  [ ! -f "$dir/on_nomad.py" ] || stage "$pack-on-nomad" python3 "$dir/on_nomad.py"
  for t in "$dir"/test_*.py; do
    [ -f "$t" ] && stage "$pack-$(basename "$t" .py)" python3 -m pytest -q -p no:cacheprovider "$t"
  done
done
stage test-images tests/images.sh
stage e2e tests/e2e/e2e.sh
stage e2e-consul tests/e2e/e2e.sh --consul
stage e2e-mesh make --no-print-directory e2e-mesh
stage test-ui tests/ui/web_uis_in_browser.py
stage bench-smoke tools/bench.sh --smoke

echo
[ $failed -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "test stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
