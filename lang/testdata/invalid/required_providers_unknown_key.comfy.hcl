comfyhcl {
  required_providers {
    pool = { source = "acme/pool", versoin = "~> 1.0" } # ERROR: Unsupported argument
  }
}
