# Consul config entry for the service in the mesh (apply with `consul config write`): its traffic
# is HTTP, so sidecars route requests (not TCP streams), intentions can act on paths, and the
# caller's sidecar can retry a request that never reached a live instance (service-router.hcl).
Kind     = "service-defaults"
Name     = "prototype"
Protocol = "http"
