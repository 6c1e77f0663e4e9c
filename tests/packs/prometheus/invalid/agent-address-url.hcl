# expect: nomad_agents.addresses[0] must be host:port of a Nomad agent's HTTP API (got "http://10.0.0.11:4646")
nomad_agents = {
  addresses = ["http://10.0.0.11:4646"]
}
