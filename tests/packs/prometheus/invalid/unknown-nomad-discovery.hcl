# expect: nomad_discovery must be "template" or "nomad_sd" (got "dns")
service_provider = "nomad"
nomad_discovery  = "dns"
