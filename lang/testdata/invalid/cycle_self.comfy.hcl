locals {
  a = "${local.a}x" # ERROR: Dependency cycle # WARNING: Unused local value
}
