node "n" {
  registry = "comfyui-impact-pack" # WARNING: Unpinned node pack
}
