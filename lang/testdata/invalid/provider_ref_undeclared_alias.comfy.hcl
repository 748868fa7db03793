provider "local" {
  alias = "gpu2"
}
render "r" {
  workflow = "wf.json"
  provider = local.gpu3 # ERROR: Reference to undeclared provider
}
