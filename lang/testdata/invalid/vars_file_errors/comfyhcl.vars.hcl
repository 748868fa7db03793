steps = "many" # ERROR: Invalid value for variable
tags  = upper("x") # ERROR: Function calls not allowed
