# expect: connect = true needs service_provider = "consul"
service_provider = "nomad"
connect          = "true"
