# Consul config entry (apply with `consul config write`, after service-defaults.hcl): callers'
# sidecars retry a request on another instance when the chosen one cannot take it: the connection
# fails, or that instance's sidecar answers 503 because the service behind it is down (killed,
# restarting), before Consul's health check has taken the instance out. Together with the pack's
# shutdown_delay this is what keeps restarts and rolling updates invisible to callers.
Kind = "service-router"
Name = "prototype"
Routes = [
  {
    Match {
      HTTP {
        PathPrefix = "/"
      }
    }
    Destination {
      NumRetries            = 3
      RetryOnConnectFailure = true
      RetryOnStatusCodes    = [503]
    }
  },
]
