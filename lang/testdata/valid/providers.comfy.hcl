comfyhcl {
  required_providers {
    pool = { source = "acme/pool", version = ">= 1.2, < 2.0" }
  }
}

provider "pool" {
  endpoint = "https://pool.example.com"
}

provider "pool" {
  alias    = "eu"
  endpoint = "https://eu.pool.example.com"
}

model "shared" {
  folder   = "loras"
  file     = "detail.safetensors"
  provider = pool.eu
}

node "git_pack" {
  git      = "https://github.com/rgthree/rgthree-comfy"
  ref      = "v1.0.0"
  provider = pool
}
