comfyhcl {
  required_version = "soon" # ERROR: Invalid version constraint
}
