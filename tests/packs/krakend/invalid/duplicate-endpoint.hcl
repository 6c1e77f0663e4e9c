# expect: endpoint POST /v1/echo is defined twice
extra_endpoints = [
  {
    endpoint       = "/v1/echo"
    method         = "post"
    backend_path   = "/echo"
    backend_method = "POST"
  },
]
