# expect: nomad_agents.scheme must be "http" or "https" (got "grpc")
nomad_agents = {
  scheme = "grpc"
}
