render "r" {
  workflow = "wf.json"
  require { # ERROR: Unsupported block type
    vram_gb = 8
  }
}
