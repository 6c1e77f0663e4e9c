# expect: routes[0].matchers must not be empty
receivers = [{ name = "hook", type = "webhook", url = "http://a.example.org/" }]
routes    = [{ receiver = "hook", matchers = [] }]
