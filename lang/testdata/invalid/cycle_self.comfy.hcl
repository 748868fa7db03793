locals {
  a = "${local.a}x" # ERROR: Dependency cycle
}
