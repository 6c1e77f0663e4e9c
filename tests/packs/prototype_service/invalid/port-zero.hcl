# expect: port must be in 1..65535 (got 0)
port = 0
