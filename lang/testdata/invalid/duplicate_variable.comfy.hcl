variable "v" {
  default = 1
}
variable "v" { # ERROR: Duplicate variable
  default = 2
}
