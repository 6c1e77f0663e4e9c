// Reduced service-discovery plugin list for the prometheus pack: only the discovery it renders
// (file and http discovery are always compiled in). tools/build-prometheus.sh copies this file
// over plugins/plugins.go of the Prometheus module before building.
package plugins

import (
	_ "github.com/prometheus/prometheus/discovery/consul" // Register consul plugin.
	_ "github.com/prometheus/prometheus/discovery/dns"    // Register dns plugin.
	_ "github.com/prometheus/prometheus/discovery/nomad"  // Register nomad plugin.
)
