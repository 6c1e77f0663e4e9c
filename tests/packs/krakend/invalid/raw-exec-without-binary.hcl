# expect: driver "raw_exec" needs binary_path (an absolute host path) or artifact_source
driver = "raw_exec"
