render "r" {
  workflow   = "wf.json"
  depends_on = [model.nope] # ERROR: Reference to undeclared model
}
