# expect: receivers[0] ("hook") is a webhook and needs exactly one of url or secret_key
receivers = [{ name = "hook", type = "webhook" }]
