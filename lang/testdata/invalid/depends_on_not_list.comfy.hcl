render "r" {
  workflow   = "wf.json"
  depends_on = "model.m" # ERROR: Invalid depends_on
}
