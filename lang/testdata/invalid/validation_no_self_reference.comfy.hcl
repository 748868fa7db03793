variable "v" {
  default = 1
  validation {
    condition     = true # ERROR: Invalid variable validation condition
    error_message = "never"
  }
}
