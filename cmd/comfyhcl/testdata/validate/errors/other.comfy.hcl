locals {
	a = local.b
	b = local.a
}

node "impact" {
  registry = "comfyui-impact-pack"
  git      = "https://github.com/ltdrdata/ComfyUI-Impact-Pack"
}
