variable "subject" {
  type = string
}
variable "steps" {
  type    = number
  default = 20
}
