# expect: count must be at least 1 (got 0)
count = 0
