comfyhcl {
  required_providers {
    pool = { source = "acme/pool", version = "one" } # ERROR: Invalid version constraint
  }
}
