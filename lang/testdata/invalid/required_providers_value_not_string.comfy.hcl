comfyhcl {
  required_providers {
    pool = { source = 3 } # ERROR: Invalid required_providers entry
  }
}
