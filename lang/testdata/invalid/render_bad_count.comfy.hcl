render "r" {
  workflow = "wf.json"
  count    = 0 # ERROR: Invalid count
}
