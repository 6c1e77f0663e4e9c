# Security on with Consul Connect: passwords from the job's Nomad Variable, script health check.
security = {
  enabled = true
}
