# expect: driver "exec" needs binary_path (an absolute host path) or artifact_source
driver = "exec"
