provider "local" {
  alias = "gpu 2" # ERROR: Invalid provider alias name
}
