# expect: driver must be "docker", "exec" or "raw_exec" (got "java")
driver = "java"
