#!/usr/bin/env bash
# Builds a KrakenD-compatible gateway binary for `tools/checks/krakend` and the end-to-end tests,
# cached under ${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability/bin and reused when present.
#
# First choice: KrakenD CE (github.com/krakend/krakend-ce/v2) from the Go module proxy. The proxy
# this project may use is a restricted mirror that answers 403 for every krakend-ce v2 version, so
# the fallback is a small gateway on Lura (github.com/luraproject/lura/v2), the engine KrakenD CE is
# built on: the same version-3 config parser, gin router (with /__health) and HTTP proxy, without
# the CE plugins (extra_config namespaces are accepted but ignored). It takes the same command line
# as KrakenD for what the packs use: `<bin> check -c <file>` and `<bin> run -c <file>`.
# The last line printed is always KRAKEND=<path>.
set -euo pipefail

CACHE_BIN="${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability/bin"
KRAKEND_CE_VERSION="${KRAKEND_CE_VERSION:-v2.13.4}"
LURA_VERSION="${LURA_VERSION:-v2.10.0}"
mkdir -p "$CACHE_BIN"

ce_bin="$CACHE_BIN/krakend-${KRAKEND_CE_VERSION#v}"
lura_bin="$CACHE_BIN/krakend-lura-${LURA_VERSION#v}"
for bin in "$ce_bin" "$lura_bin"; do
  if [ -x "$bin" ]; then
    echo "reusing $bin"
    echo "KRAKEND=$bin"
    exit 0
  fi
done

command -v go >/dev/null || { echo "error: go not found: install Go >= 1.22 to build the gateway" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. KrakenD CE itself.
echo "trying github.com/krakend/krakend-ce/v2@$KRAKEND_CE_VERSION from $(go env GOPROXY)"
if (cd "$work" && go mod init krakend-build >/dev/null 2>&1 &&
    nice -n 19 go install -trimpath "github.com/krakend/krakend-ce/v2/cmd/krakend-ce@$KRAKEND_CE_VERSION") \
    >"$work/ce.log" 2>&1; then
  cp "$(go env GOPATH)/bin/krakend-ce" "$ce_bin"
  echo "KRAKEND=$ce_bin"
  exit 0
fi
echo "KrakenD CE is not available here: $(grep -m1 -E '403|error|not' "$work/ce.log" || tail -n1 "$work/ce.log")"

# 2. A gateway on Lura, KrakenD's engine.
echo "building a Lura $LURA_VERSION gateway instead (same config parser, router and proxy)"
mkdir -p "$work/lura"
cat >"$work/lura/main.go" <<'GO'
// A minimal API gateway on Lura, KrakenD's engine, with KrakenD's command line for
// `check -c <file>` (parse and validate a version-3 configuration) and `run -c <file>`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
	"github.com/luraproject/lura/v2/proxy"
	krakendgin "github.com/luraproject/lura/v2/router/gin"
	"github.com/luraproject/lura/v2/transport/http/server"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: krakend-lura check|run -c <krakend.json>")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "check" && os.Args[1] != "run") {
		usage()
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	cfgPath := flags.String("c", "", "path to the configuration file")
	_ = flags.Parse(os.Args[2:])
	if *cfgPath == "" {
		usage()
	}
	cfg, err := config.NewParser().Parse(*cfgPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %s: %v\n", *cfgPath, err)
		os.Exit(1)
	}
	for _, e := range cfg.Endpoints {
		for _, b := range e.Backend {
			if len(b.Host) == 0 {
				fmt.Fprintf(os.Stderr, "error: %s: endpoint %s %s: backend %s has no host\n", *cfgPath, e.Method, e.Endpoint, b.URLPattern)
				os.Exit(1)
			}
		}
	}
	if os.Args[1] == "check" {
		fmt.Printf("Syntax OK! %s: version %d, %d endpoint(s)\n", *cfgPath, cfg.Version, len(cfg.Endpoints))
		return
	}
	logger, err := logging.NewLogger("INFO", os.Stdout, "[KRAKEND-LURA]")
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	// Like KrakenD: an engine with /__health, and a graceful stop on SIGINT/SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	engine := krakendgin.NewEngine(cfg, krakendgin.EngineOptions{Logger: logger, Writer: os.Stdout})
	krakendgin.NewFactory(krakendgin.Config{
		Engine:         engine,
		Middlewares:    nil,
		HandlerFactory: krakendgin.EndpointHandler,
		ProxyFactory:   proxy.DefaultFactory(logger),
		Logger:         logger,
		RunServer:      server.RunServer,
	}).NewWithContext(ctx).Run(cfg)
}
GO
cat >"$work/lura/go.mod" <<GOMOD
module krakend-lura

go 1.22

require github.com/luraproject/lura/v2 $LURA_VERSION
GOMOD
(cd "$work/lura" && go mod tidy && CGO_ENABLED=0 nice -n 19 go build -trimpath -o "$lura_bin" .) \
  || { echo "error: building the Lura gateway failed (see the go output above)" >&2; exit 1; }
echo "KRAKEND=$lura_bin"
