node "n" {
  git = "github.com/rgthree/rgthree-comfy" # ERROR: Invalid git URL
  ref = "v1"
}

node "ok" {
  git = "git@github.com:rgthree/rgthree-comfy.git"
  ref = "v1"
}
