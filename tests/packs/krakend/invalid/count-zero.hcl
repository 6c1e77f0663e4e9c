# expect: count must be a whole number >= 1 (got 0)
count = 0
