# expect: connect must be "auto", "true" or "false" (got "yes")
connect = "yes"
