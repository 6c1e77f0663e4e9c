#!/usr/bin/env bash
# The project's own code through its languages' linters: shellcheck on the scripts of tools/,
# tests/ and .ci/ (warnings and errors; the packs' scripts are templates, checked once rendered by
# their pack's check), gofmt and go vet on the Go sources under tools/go/.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rc=0
mapfile -t scripts < <(git ls-files 'tools/*.sh' 'tests/*.sh' .ci/run)
if shellcheck -x -S warning "${scripts[@]}"; then echo "shellcheck: ${#scripts[@]} scripts clean"; else rc=1; fi
tools/build-krakend.sh --vet || rc=1
exit $rc
