# expect: connect = true cannot work with driver = "raw_exec"
connect = "true"
driver  = "raw_exec"
