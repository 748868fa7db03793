comfyhcl {
  required_version = ">= 99.0" # ERROR: Unsupported comfyhcl version
}
