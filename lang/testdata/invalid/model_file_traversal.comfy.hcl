model "m" {
  folder = "checkpoints"
  file   = "../../etc/passwd" # ERROR: Invalid model file
}
