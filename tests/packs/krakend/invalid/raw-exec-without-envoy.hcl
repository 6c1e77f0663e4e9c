# expect: driver "raw_exec" needs envoy_binary_path
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/usr/local/bin/krakend"
