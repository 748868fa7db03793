provider "local" {
  alias = ["gpu2"] # ERROR: Invalid alias
}
