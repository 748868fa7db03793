variable "steps" {
  default = 20
  validation {
    condition     = var.steps <= var.max_steps # ERROR: Reference to undeclared input variable
    error_message = "too many steps"
  }
}
