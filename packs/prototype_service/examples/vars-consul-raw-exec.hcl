# raw_exec with the Consul provider: connect = "auto" turns Connect off (raw_exec cannot join the
# bridge namespace); an absolute binary path; the docker-only Fluentd setting is ignored.
driver      = "raw_exec"
binary_path = "/usr/local/bin/prototype-service"
