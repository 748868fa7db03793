render "a" {
  workflow   = "wf.json"
  params     = { image = render.b.files } # ERROR: Dependency cycle
}
render "b" {
  workflow   = "wf.json"
  depends_on = [render.a]
}
