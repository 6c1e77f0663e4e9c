# expect: backend.local_bind_port must be in 1..65535 (got 70000)
backend = {
  service         = "prototype"
  local_bind_port = 70000
}
