#!/usr/bin/env bash
# The project's own code through its languages' linters: shellcheck on the scripts of tools/,
# tests/ and .ci/ (warnings and errors; the packs' scripts are templates, checked once rendered by
# their pack's check), gofmt and go vet on the Go sources under tools/go/ (gofmt only for the
# Prometheus plugin list, which only compiles inside Prometheus' module); the shipped files' versions
# against tools/env.sh's pins (tests/pins.sh).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rc=0
mapfile -t scripts < <(git ls-files 'tools/*.sh' 'tests/*.sh' .ci/run)
if shellcheck -x -S warning "${scripts[@]}"; then echo "shellcheck: ${#scripts[@]} scripts clean"; else rc=1; fi
tools/build-krakend.sh --vet || rc=1
# The podman API proxy of the mesh lane: its own module, formatted, vetted and unit-tested.
if (cd tools/go/podman-sandboxkey && [ -z "$(gofmt -l .)" ] && go vet ./... && go test ./... >/dev/null); then
  echo "tools/go/podman-sandboxkey: gofmt, go vet, go test clean"
else
  echo "tools/go/podman-sandboxkey: gofmt -l, go vet or go test failed" >&2; rc=1
fi
# The Prometheus plugin list is compiled inside Prometheus' module (tools/build-prometheus.sh): gofmt here.
unformatted=$(gofmt -l tools/go/prometheus-plugins)
if [ -z "$unformatted" ]; then echo "gofmt: tools/go/prometheus-plugins clean"; else echo "gofmt: not formatted: $unformatted"; rc=1; fi
# The pins check must fail on a disagreement (one image tag changed in a copy) before it may pass.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/service" && cp -r packs "$work/" && cp service/Dockerfile "$work/service/"
sed -i -E 's#prom/prometheus:v[0-9.]+#prom/prometheus:v0.0.1#' "$work/packs/prometheus/variables.hcl"
if out=$(tests/pins.sh "$work" 2>&1) || ! grep -q "packs/prometheus/variables.hcl.*v0.0.1" <<<"$out"; then
  echo "tests/pins.sh did not refuse prom/prometheus:v0.0.1 in a copy: $out" >&2; rc=1
fi
tests/pins.sh || rc=1
exit $rc
