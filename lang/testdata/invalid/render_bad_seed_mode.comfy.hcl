render "r" {
  workflow  = "wf.json"
  seed_mode = "randum" # ERROR: Invalid seed_mode
}
