variable "a" { default = "x" }
provider "local" {
  alias = var.a # ERROR: Variables not allowed
}
