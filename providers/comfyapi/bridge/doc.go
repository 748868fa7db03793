// Package bridge translates what the ComfyUI client sees (comfyapi events, outcomes and
// execution errors) into the provider protocol's types, once for every provider built on
// comfyapi: local, cloud, pool, and third-party ones.
//
// Neighbours: providers/comfyapi (the client) and plugins (the protocol's types); it
// imports nothing else, so a provider that may only import those two can still use it.
package bridge
