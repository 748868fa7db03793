variable "v" {
  type    = number
  default = "many" # ERROR: Invalid default value for variable
}
