render "r" {
  workflow = "workflows/nope.json" # ERROR: Missing workflow file
  uploads = {
    image = "photos/dog.png" # ERROR: Missing upload file
    mask  = "." # ERROR: Invalid upload file
  }
}
