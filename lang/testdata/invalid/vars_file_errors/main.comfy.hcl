variable "steps" {
  type    = number
  default = 20
}
variable "tags" {
  type    = list(string)
  default = []
}
