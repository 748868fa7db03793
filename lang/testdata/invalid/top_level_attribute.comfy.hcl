name = "x" # ERROR: Unsupported argument
