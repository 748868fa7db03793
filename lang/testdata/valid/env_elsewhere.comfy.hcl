locals {
  home = env("COMFYHCL_TEST_SURELY_UNSET_HOME")
}

provider "local" {
  alias     = "env_ws"
  workspace = env("COMFYHCL_TEST_SURELY_UNSET_WORKSPACE2")
}

output "home" { value = local.home }
