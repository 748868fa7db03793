variable "v" { default = 1 }
render "r" {
  workflow   = "wf.json"
  depends_on = [var.v] # ERROR: Invalid depends_on reference
}
