variable "v" { default = "1" }
comfyhcl {
  required_version = var.v # ERROR: Variables not allowed
}
