# One entry point: `make help` lists what you can do. Scripts live in tools/ (building, running) and tests/ (checking).
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo

.PHONY: help setup tools build test test-service lint validate render vendor test-validate image image-local \
        image-fluentd test-images up down test-ui e2e e2e-consul e2e-mesh bench bench-aa bench-mesh bench-smoke clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Install what make test needs: Debian packages (as root), Python modules, pinned tools
	@tools/setup.sh test

tools: ## Build the pinned nomad, nomad-pack, prometheus, gateway and consul into ~/.cache (reused)
	@tools/setup.sh tools

build: ## Release build of the service (service/target/release/prototype-service)
	@command -v $(CARGO) >/dev/null || { echo "error: cargo not found: install Rust (https://rustup.rs)"; exit 1; }
	cd service && $(CARGO) build --release

test: ## Everything CI runs, after its own set-up: lint, service, packs, images, end-to-end, bench smoke
	@tests/run.sh

lint: ## shellcheck the scripts, gofmt and go vet the Go sources
	@tests/lint.sh

test-service: ## The service's fmt, clippy and tests
	@command -v $(CARGO) >/dev/null || { echo "error: cargo not found: install Rust (https://rustup.rs)"; exit 1; }
	@# The promtool test uses the project's pinned promtool (tools/env.sh), when it is built.
	cd service && $(CARGO) fmt --check && $(CARGO) clippy --all-targets -- -D warnings && \
	  PROMTOOL="$${PROMTOOL:-$$(bash -c 'source ../tools/env.sh && find_tool promtool --quiet' | cut -d' ' -f1)}" $(CARGO) test

render: ## Render every pack with every var file to build/rendered/
	@tests/validate.sh --render-only

vendor: ## Copy each pack's nomad-pack dependencies from their origin into packs/<pack>/deps/ (never edit those)
	@tools/vendor-deps.sh

validate: ## Render, nomad fmt, nomad job validate and config checks: every pack x var file
	@tools/setup.sh test && tests/validate.sh

test-validate: ## Prove that a broken pack or var file makes validation fail, on a temporary copy
	@tests/test-validate.sh

image: ## Build the service image (multi-stage; IMAGE, TAG overridable), then the Fluentd image
	@tools/image.sh multistage
	@env -u IMAGE -u TAG tools/image.sh fluentd; rc=$$?; if [ $$rc -eq 3 ]; then \
	  echo "image: the Fluentd image was NOT built: its base image cannot be had here (above); the service image was built"; \
	  else exit $$rc; fi

image-local: ## Build the service image from a host build (make build) with Dockerfile.local
	@tools/image.sh local

image-fluentd: ## Build the efk pack's Fluentd image
	@tools/image.sh fluentd

test-images: ## Build both service images with podman and check the containers
	@tests/images.sh

up: ## Set up what is missing, start a local Nomad dev agent, deploy the stack pack (service, gateway, Prometheus, Alertmanager, node_exporter; MESH=1: the Connect mesh)
	@if [ "$${MESH:-0}" = 1 ]; then tools/image.sh multistage; fi
	@tools/cluster.sh up

down: ## Destroy the deployed packs and stop the local agent
	@tools/cluster.sh down

test-ui: ## The web UIs of Nomad, Prometheus and Consul in headless Chromium (screenshots: build/ui-test/; the mesh's Consul UI is checked in e2e-mesh)
	@tools/setup.sh test && tests/ui/web_uis_in_browser.py

e2e: ## End-to-end tests on a real Nomad dev agent
	@tests/e2e/e2e.sh

e2e-consul: ## The e2e Consul lane: a Consul dev agent beside Nomad, packs with service_provider=consul
	@tests/e2e/e2e.sh --consul

e2e-mesh: ## The mesh lane: the packs' defaults live (Consul Connect, real Envoy, docker driver on podman), the Consul UI in Chromium
	@tools/setup.sh test && tools/image.sh multistage
	@tests/e2e/e2e-mesh.sh

bench: ## Benchmark the service against a bare Actix baseline (build/bench/report.md)
	@tools/bench.sh

bench-aa: ## The benchmark's noise floor: the bare baseline against itself (build/bench-aa/)
	@tools/bench.sh --aa

bench-mesh: ## What the Connect mesh costs per request: direct, through the sidecars, through the ingress (build/bench-mesh/)
	@tools/image.sh multistage
	@tools/bench-mesh.sh

bench-smoke: ## A 2-second run of the benchmark, to keep it from rotting (no timing asserts)
	@tools/bench.sh --smoke

clean: ## Remove build outputs (not the tool cache)
	rm -rf build service/target bench/baseline/target
