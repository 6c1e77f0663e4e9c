# How the local end-to-end cluster runs it: Nomad-native services, no Consul, a host binary.
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/usr/bin/prometheus"
nomad_address    = "http://127.0.0.1:4646"
retention_time   = "2h"
scrape_interval  = "5s"
