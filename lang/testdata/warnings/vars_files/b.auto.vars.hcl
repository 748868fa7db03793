steps = 30
stpes = 31 # WARNING: Value for undeclared variable
