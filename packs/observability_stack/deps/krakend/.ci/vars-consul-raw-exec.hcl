# raw_exec with the Consul provider: connect = "auto" turns Connect off; backends from the Consul
# catalogue, address and port from Nomad.
driver      = "raw_exec"
binary_path = "/usr/local/bin/krakend"
