# expect: receivers[0] ("pager") type must be "webhook", "email" or "slack" (got "sms")
receivers = [{ name = "pager", type = "sms", url = "http://example.org" }]
