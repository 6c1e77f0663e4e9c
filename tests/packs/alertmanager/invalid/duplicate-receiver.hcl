# expect: receivers[1] ("hook") has the name of an earlier receiver
receivers = [
  { name = "hook", type = "webhook", url = "http://a.example.org/" },
  { name = "hook", type = "webhook", url = "http://b.example.org/" },
]
