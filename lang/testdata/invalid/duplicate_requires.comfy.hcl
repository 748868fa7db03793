render "r" {
  workflow = "wf.json"
  requires { vram_gb = 8 }
  requires { ram_gb = 8 } # ERROR: Duplicate requires block
}
