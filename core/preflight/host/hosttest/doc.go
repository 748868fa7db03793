// Package hosttest replays a recorded host for tests and demos of package host: a
// directory with host.json (OS, environment, files, hardware, free disk) and the recorded
// outputs of the tools it names. Tools not named are "not installed".
//
// Neighbours: host (whose System and Hardware it implements); tests of cmd/comfyhcl
// (`hardware` golden tests) use the same fixtures under host/testdata.
package hosttest
