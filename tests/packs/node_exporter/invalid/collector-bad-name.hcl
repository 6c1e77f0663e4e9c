# expect: collector names are lower-case words such as "systemd" or "netclass" (got "--collector.cpu")
collectors_enabled = ["--collector.cpu"]
