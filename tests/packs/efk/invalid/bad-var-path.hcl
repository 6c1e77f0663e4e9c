# expect: security.nomad_var_path must be a Nomad Variable path
security = {
  enabled        = true
  nomad_var_path = "nomad/jobs/efk secrets"
}
