package main

// version is set at build time with -ldflags "-X main.version=..."; "dev" otherwise.
var version = "0.1.0-dev"
