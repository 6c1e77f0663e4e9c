# expect: connect = true needs service_provider = "consul" (got "nomad")
service_provider = "nomad"
connect          = true
