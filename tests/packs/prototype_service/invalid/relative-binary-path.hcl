# expect: binary_path must be absolute or under local/ (got "bin/prototype-service")
driver      = "raw_exec"
binary_path = "bin/prototype-service"
