comfyhcl {
  required_providers {
    pool = { source = "pool" } # ERROR: Invalid provider source
  }
}
