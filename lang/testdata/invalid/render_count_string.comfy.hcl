render "r" {
  workflow = "wf.json"
  count    = "four" # ERROR: Incorrect value type
}
