comfyhcl {
  required_providers {
  }
  required_providers { # ERROR: Duplicate required_providers block
  }
}
