# The rolling update of tests/e2e/e2e.sh (step 4): the same configuration as the pack's default,
# with a smaller max_body_bytes. A new application.toml is a new job version, rolled out one
# instance at a time; afterwards a 200 kB echo gets 413 where it got 200 before.
config = <<EOF
[server]
shutdown_timeout_secs = 4
keep_alive_secs = 5
max_body_bytes = 131072

[logging]
level = "info"
format = "json"
access_log = true
log_bodies = false

[metrics]
namespace = "prototype_service"
EOF
