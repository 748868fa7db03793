model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
}
render "r" {
  workflow   = "wf.json"
  depends_on = [model.m.file] # ERROR: Invalid depends_on reference
}
