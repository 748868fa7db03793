render "r" {
  workflow = "wf.json"
  params   = ["steps", 30] # ERROR: Invalid params
}
