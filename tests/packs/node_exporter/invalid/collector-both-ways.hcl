# expect: collector "systemd" is in both collectors_enabled and collectors_disabled
collectors_enabled  = ["systemd"]
collectors_disabled = ["systemd"]
