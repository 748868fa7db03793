comfyhcl {
  required_providers {
    pool = "acme/pool" # ERROR: Invalid required_providers entry
  }
}
