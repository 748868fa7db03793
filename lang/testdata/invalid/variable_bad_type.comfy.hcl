variable "v" {
  type = strin # ERROR: Invalid type specification
}
