# expect: routes[0].receiver "pager" is not one of the receivers (none)
routes = [{ receiver = "pager", matchers = ["severity=\"critical\""] }]
