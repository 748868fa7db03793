variable "v" {
  nullable = false
  default  = null # ERROR: Invalid default value for variable
}
