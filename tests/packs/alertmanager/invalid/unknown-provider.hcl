# expect: service_provider must be "consul" or "nomad" (got "kubernetes")
service_provider = "kubernetes"
