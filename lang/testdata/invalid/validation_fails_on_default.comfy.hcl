variable "subject" {
  type    = string
  default = "" # ERROR: Invalid value for variable
  validation {
    condition     = length(var.subject) > 0
    error_message = "subject must not be empty."
  }
}
