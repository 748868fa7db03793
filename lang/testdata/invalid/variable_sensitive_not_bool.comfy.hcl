variable "v" {
  sensitive = "yes please" # ERROR: Invalid sensitive
  default   = 1
}
