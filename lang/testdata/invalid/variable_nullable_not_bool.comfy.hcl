variable "v" {
  nullable = "sometimes" # ERROR: Invalid nullable
  default  = 1
}
