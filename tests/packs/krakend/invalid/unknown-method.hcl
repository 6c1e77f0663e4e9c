# expect: methods of endpoint /v1/x must be GET, POST, PUT, PATCH or DELETE (got "FETCH")
extra_endpoints = [
  {
    endpoint       = "/v1/x"
    method         = "FETCH"
    backend_path   = "/x"
    backend_method = "GET"
  },
]
