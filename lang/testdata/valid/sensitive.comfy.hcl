variable "token" {
  type      = string
  sensitive = true
  default   = "s3cr3t-do-not-print"
}

model "private" {
  folder  = "checkpoints"
  file    = "private.safetensors"
  source  = "https://example.com/private.safetensors"
  sha256  = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"
  headers = { Authorization = "Bearer ${var.token}" }
}

output "token_hash" {
  value     = sha256(var.token)
  sensitive = true
}

output "revealed_length" {
  value = nonsensitive(length(var.token))
}
