model "m" {
  folder = "checkpoints"
  file   = = "m.safetensors" # ERROR: Invalid expression
}

render "r" {
  workflow = "wf.json"
  count    = 0 # ERROR: Invalid count
}
