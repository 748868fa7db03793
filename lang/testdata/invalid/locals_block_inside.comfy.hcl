locals {
  inner { # ERROR: Unexpected "inner" block
  }
}
