render "a" "b" { # ERROR: Extraneous label for render
  workflow = "wf.json"
}
