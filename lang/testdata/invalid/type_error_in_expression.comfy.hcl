locals {
  a = 1 + "x" # ERROR: Invalid operand # WARNING: Unused local value
}
