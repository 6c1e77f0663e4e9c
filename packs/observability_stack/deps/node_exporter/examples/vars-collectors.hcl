# Docker on the default pool only, Linux clients only, with the systemd and process collectors on,
# wifi and infiniband off, and file systems of the container runtime left out.
node_pool           = "default"
collectors_enabled  = ["systemd", "processes"]
collectors_disabled = ["wifi", "infiniband"]
extra_args          = ["--collector.filesystem.mount-points-exclude=^/(dev|proc|run|sys|var/lib/docker/.+)($|/)"]
constraints = [
  {
    attribute = "$${attr.kernel.name}"
    operator  = "="
    value     = "linux"
  },
]
