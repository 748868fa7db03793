variable "subject" {
type = string
    default="a lighthouse"
}
model "sdxl" {
  folder="checkpoints"
  file = "sdxl.safetensors"   # the base
  sha256     = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"
}


render "hero" {
	workflow = "wf.json"
	params = {
		prompt = "portrait of ${var.subject}"
		steps = 30
		"3.cfg" = 6.5
	}
	count = 4
	requires { vram_gb = 12 }
}
