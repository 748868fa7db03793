variable "subject" { default = "x" }
locals {
  p = var.subjet # ERROR: Reference to undeclared input variable # WARNING: Unused local value
}
