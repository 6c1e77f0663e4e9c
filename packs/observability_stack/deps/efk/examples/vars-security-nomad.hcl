# Security on with Nomad services, passwords from a custom Nomad Variable path, no data view.
service_provider = "nomad"
security = {
  enabled        = true
  nomad_var_path = "nomad/jobs/efk/elastic"
}
kibana = {
  data_view = false
}
