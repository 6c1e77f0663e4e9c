# expect: port must be 0 (dynamic) or in 1..65535 (got -1)
port = -1
