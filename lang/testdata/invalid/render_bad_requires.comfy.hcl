render "r" {
  workflow = "wf.json"
  requires {
    vram_gb = -1 # ERROR: Invalid memory requirement
    vram    = 2 # ERROR: Unsupported argument
  }
}
