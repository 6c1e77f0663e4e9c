#!/usr/bin/env bash
# `make test`: every check the project has, in order, each stage timed. A failing stage does not
# hide the others; the run fails if any stage failed. Stages that cannot run here say why.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO"

passed=0 failed=0 skipped=0 failures=()
stage() {
  local name="$1" start rc; shift
  echo; echo "=== $name ($(date -u +%H:%M:%S))"
  start=$(date +%s)
  "$@"; rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); echo "=== $name: ok in $(( $(date +%s) - start ))s"
  else failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED (exit $rc) after $(( $(date +%s) - start ))s"; fi
}
skip() { skipped=$((skipped + 1)); echo; echo "=== $1: SKIPPED: $2"; }

stage tools make --no-print-directory tools
stage test-service make --no-print-directory test-service
stage validate tools/validate.sh
stage test-validate tools/test-validate.sh
stage efk-templates packs/efk/tests/templates_on_nomad.py
stage efk-scripts python3 -m pytest -q -p no:cacheprovider packs/efk/tests/test_scripts.py
stage prometheus-on-nomad packs/prometheus/tests/on_nomad.py
stage grafana-templates packs/grafana/tests/templates_on_nomad.py
if command -v podman >/dev/null 2>&1; then stage test-images tools/test-images.sh
else skip test-images "podman is not installed (apt-get install podman runc)"; fi
stage e2e tools/e2e.sh
stage e2e-consul tools/e2e.sh --consul
stage test-ui tests/ui/web_uis_in_browser.py
stage bench-smoke tools/bench.sh --smoke

echo
[ $failed -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "test stages: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
