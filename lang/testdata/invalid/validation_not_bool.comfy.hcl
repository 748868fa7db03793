variable "v" {
  default = "x"
  validation {
    condition     = var.v # ERROR: Invalid validation result
    error_message = "no"
  }
}
