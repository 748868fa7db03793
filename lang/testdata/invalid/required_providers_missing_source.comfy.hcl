comfyhcl {
  required_providers {
    pool = { version = "~> 1.0" } # ERROR: Missing provider source
  }
}
