variable "v" {
  type    = object({ name = string, size = optional(number, 1) })
  default = { size = 2 } # ERROR: Invalid default value for variable
}
