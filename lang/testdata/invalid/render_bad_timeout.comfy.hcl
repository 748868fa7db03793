render "r" {
  workflow = "wf.json"
  timeout  = "ten minutes" # ERROR: Invalid timeout
}
