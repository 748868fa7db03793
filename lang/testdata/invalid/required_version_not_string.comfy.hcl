comfyhcl {
  required_version = 1 # ERROR: Invalid required_version
}
