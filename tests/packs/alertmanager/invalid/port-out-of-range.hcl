# expect: port must be 0 (dynamic) or in 1..65535 (got 70000)
port = 70000
