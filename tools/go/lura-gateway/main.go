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
