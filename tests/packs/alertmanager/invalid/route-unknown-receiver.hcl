# expect: route.receiver "pager" is not one of the receivers (hook)
receivers = [{ name = "hook", type = "webhook", url = "http://a.example.org/" }]
route     = { receiver = "pager" }
