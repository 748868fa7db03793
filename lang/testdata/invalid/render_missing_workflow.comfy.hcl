render "r" { # ERROR: Missing required argument
  count = 1
}
