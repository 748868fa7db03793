render "r" {
  workflow = "wf.json"
}
render "r" { # ERROR: Duplicate render
  workflow = "wf2.json"
}
