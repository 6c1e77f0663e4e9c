# expect: service_provider must be "consul" or "nomad" (got "zookeeper")
service_provider = "zookeeper"
