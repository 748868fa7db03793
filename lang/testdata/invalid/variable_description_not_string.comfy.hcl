variable "v" {
  description = ["a"] # ERROR: Invalid description
  default     = 1
}
