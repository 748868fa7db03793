variable "v" {
  default = 1
  validation { # ERROR: Missing required argument
    condition = var.v > 0
  }
}
