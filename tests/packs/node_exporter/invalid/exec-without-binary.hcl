# expect: binary_path must be set with driver = "exec"
driver      = "exec"
binary_path = ""
