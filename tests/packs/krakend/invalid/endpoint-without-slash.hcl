# expect: endpoint paths must start with / (got "v1/echo", method POST)
endpoints = [
  {
    endpoint       = "v1/echo"
    method         = "POST"
    backend_path   = "/echo"
    backend_method = "POST"
  },
]
