// Package pool is the `pool` provider: it spreads renders over several ComfyUI servers
// (members), as one backend. It is the worked example of a third-party provider: it is
// built as its own binary, comfyhcl-provider-pool (cmd/comfyhcl-provider-pool), and
// imports only the public SDK (plugins) and the ComfyUI client (providers/comfyapi).
//
// What it does: the inventory it reports is the intersection of what every answering
// member has (with a warning naming what each member lacks); a render goes to a healthy
// member that has its node classes and models, least queued first (or round-robin); a
// member that stops answering is marked down and its in-flight renders are resubmitted
// once to another member under the same pool prompt id, so the core records each render
// once; outputs are downloaded from whichever member ran the render.
//
// Neighbours: plugins (the contract and Serve), providers/comfyapi (the wire). It knows
// nothing of HCL, of the core, or of the other providers.
package pool
