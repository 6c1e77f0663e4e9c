# expect: receivers[0] ("chat") is a slack receiver and needs secret_key
receivers = [{ name = "chat", type = "slack", channel = "#alerts" }]
