# expect: receivers[0] ("mail") is an email receiver and needs to, from and smarthost
receivers = [{ name = "mail", type = "email", to = "a@example.org", from = "b@example.org" }]
