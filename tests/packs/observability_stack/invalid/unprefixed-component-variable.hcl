# expect: There is no variable named "count"
# A component's variable needs its prefix (prototype_service.count): the stack has no "count".
count = 2
