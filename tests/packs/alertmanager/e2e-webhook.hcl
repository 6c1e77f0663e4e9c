# The e2e's receiver (tests/e2e/e2e.sh, step 6): a webhook the test runs on loopback. Its URL is a
# secret like any receiver's: the test puts it in the Nomad Variable nomad/jobs/alertmanager
# (key webhook_url) and the task reads it with nomadVar.
receivers = [
  {
    name       = "e2e-webhook"
    type       = "webhook"
    secret_key = "webhook_url"
  },
]
