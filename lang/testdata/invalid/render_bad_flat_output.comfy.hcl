render "r" {
  workflow    = "wf.json"
  flat_output = "yes" # ERROR: Incorrect value type
}
