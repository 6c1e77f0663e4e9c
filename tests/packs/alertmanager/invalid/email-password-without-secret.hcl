# expect: auth_username "am" needs secret_key, the key of the SMTP password
receivers = [{ name = "mail", type = "email", to = "a@example.org", from = "b@example.org", smarthost = "smtp.example.org:587", auth_username = "am" }]
