// Command comfyhcl-provider-pool is the pool provider as a standalone provider binary:
// drop it in ./.comfyhcl/plugins (or $XDG_DATA_HOME/comfyhcl/plugins, or PATH) and
// declare it in required_providers. `comfyhcl-provider-pool describe` prints what it is;
// `comfyhcl-provider-pool -debug` serves it for a debugger (see COMFYHCL_REATTACH_PROVIDERS).
//
// Neighbours: providers/pool (the provider) and plugins (Serve). Nothing else.
package main
