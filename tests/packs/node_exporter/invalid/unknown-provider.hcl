# expect: service_provider must be "consul" or "nomad" (got "etcd")
service_provider = "etcd"
