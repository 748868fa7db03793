provider "local" {
  alias = "gpu2"
}
provider "local" { # ERROR: Duplicate provider configuration
  alias = "gpu2"
}
