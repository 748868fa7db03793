node "n" {
  git = "https://github.com/ltdrdata/ComfyUI-Impact-Pack" # WARNING: Unpinned node pack
}
