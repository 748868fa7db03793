render "r" {
  workflow = "wf.json"
  sweep    = { cfg = 7 } # ERROR: Invalid sweep
}
