comfyhcl {
}
comfyhcl { # ERROR: Duplicate comfyhcl block
}
