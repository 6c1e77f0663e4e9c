# Consul provider without Connect: docker with a mapped port, backends from the Consul catalogue
# in Envoy's endpoint list (the load balancer's container reached on its mapped host port), extra
# endpoints with other encodings, logs to Fluentd.
connect = false
extra_endpoints = [
  {
    endpoint         = "/v1/health"
    method           = "GET"
    backend_path     = "/health"
    backend_method   = "GET"
    output_encoding  = "string"
    backend_encoding = "string"
  },
  {
    endpoint        = "/v1/ready"
    method          = "get"
    backend_path    = "/ready"
    backend_method  = "get"
    output_encoding = "no-op"
    input_headers   = ["X-Request-Id"]
    timeout         = "1s"
  },
]
fluentd_logging = {
  enabled      = true
  service_name = "fluentd"
  tag          = "api-gateway-group"
}
