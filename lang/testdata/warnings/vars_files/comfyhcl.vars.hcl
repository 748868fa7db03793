subject = "a lighthouse"
subjet  = "typo" # WARNING: Value for undeclared variable
