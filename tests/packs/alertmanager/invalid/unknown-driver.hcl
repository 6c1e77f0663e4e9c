# expect: driver must be "docker", "exec" or "raw_exec" (got "podman")
driver = "podman"
