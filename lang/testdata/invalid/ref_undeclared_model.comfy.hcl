render "r" {
  workflow = "wf.json"
  params   = { ckpt_name = model.sdxl.file } # ERROR: Reference to undeclared model
}
