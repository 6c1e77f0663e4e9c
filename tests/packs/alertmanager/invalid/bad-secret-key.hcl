# expect: secret_key must be a Nomad Variable key (letters, digits, _) (got "hook-url")
receivers = [{ name = "hook", type = "webhook", secret_key = "hook-url" }]
