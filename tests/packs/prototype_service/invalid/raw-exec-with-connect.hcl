# expect: connect = true cannot be used with driver "raw_exec"
driver      = "raw_exec"
binary_path = "/usr/local/bin/prototype-service"
connect     = "true"
