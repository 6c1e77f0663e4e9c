# expect: envoy_binary_path must be an absolute path (got "bin/envoy")
service_provider  = "nomad"
driver            = "exec"
binary_path       = "/usr/local/bin/krakend"
envoy_binary_path = "bin/envoy"
