# A rolling update that must fail, to see tests/e2e/e2e.sh fail well (task events, agent log, cleanup):
#   E2E_UPDATE_VARS=tests/packs/prototype_service/e2e-broken.hcl make e2e
# max_body_bytes = 0 is refused by the service at start-up (the schema's minimum is 1).
config = <<EOF
[server]
max_body_bytes = 0
EOF
