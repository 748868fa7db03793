render "r" {
  workflow = 42 # ERROR: Invalid workflow
}
