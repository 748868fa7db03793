render "a" {
  workflow = "wf.json"
}
locals {
  first = render.a.files
}
render "b" {
  workflow   = "wf.json"
  params     = { image = render.a.files }
  count      = length(local.first) # ERROR: Value known only after apply
  output_dir = "out/${render.a.name}"
  timeout    = render.a # ERROR: Value known only after apply # ERROR: Incorrect value type
}
model "m" {
  folder = "checkpoints"
  file   = local.first # ERROR: Value known only after apply
}
