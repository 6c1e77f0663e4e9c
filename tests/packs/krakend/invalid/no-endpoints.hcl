# expect: endpoints and extra_endpoints are both empty
endpoints = []
