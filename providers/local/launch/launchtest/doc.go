// Package launchtest writes fake pipx, uvx, python3, pip and comfy executables for tests
// of package launch and of `comfyhcl setup`: small shell scripts that record their
// arguments, install a fake comfy-cli into $HOME/.local/bin, "install" ComfyUI by writing
// main.py, and on `comfy launch` exec a server command the test chooses (the simulator).
// PATH holds only the fakes and a few system utilities, so no real installer, network
// or home directory is ever touched.
//
// Neighbours: launch (what it exercises); cmd/comfyhcl's setup tests.
package launchtest
