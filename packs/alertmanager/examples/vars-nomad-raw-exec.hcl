# How the local cluster runs it: Nomad-native services, no Consul, a host binary under raw_exec,
# a webhook receiver whose URL is a secret in the Nomad Variable, fast notifications.
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/usr/local/bin/alertmanager"
port             = 0
receivers = [
  {
    name       = "webhook"
    type       = "webhook"
    secret_key = "webhook_url"
  },
]
route = {
  group_wait     = "1s"
  group_interval = "2s"
}
