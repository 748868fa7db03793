render "r" {
  workflow = "wf.json"
  uploads  = "photos/cat.png" # ERROR: Invalid uploads # ERROR: Incorrect value type
}
