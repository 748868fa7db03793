package comfysim

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// nodeImpl is the simulated behaviour of one class_type.
type nodeImpl struct {
	run func(x *execCtx, in map[string]any) ([]any, *omap, error)
	// validateInputs is VALIDATE_INPUTS for the inputs in customValidated:
	// it returns "" when valid, else the message ComfyUI reports.
	validateInputs  func(s *Server, val any) string
	customValidated []string
	// isChanged is IS_CHANGED: extra cache-key material (e.g. a file hash).
	isChanged func(s *Server, in map[string]any) string
}

// nodeError is an exception raised while a node executes.
type nodeError struct {
	typ, msg string
	tb       []string
	tips     string // appended after "\n" in exception_message (OOM)
}

const oomTips = "This error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you might have accidentally set the batch_size to a large number."

func (e *nodeError) Error() string { return e.typ + ": " + e.msg }

var nodeImpls map[string]nodeImpl

func init() {
	nodeImpls = map[string]nodeImpl{}
	for k, v := range imageNodes() {
		nodeImpls[k] = v
	}
	for k, v := range modelNodes() {
		nodeImpls[k] = v
	}
	for k, v := range mediaNodes() {
		nodeImpls[k] = v
	}
	for k, v := range samplingNodes() {
		nodeImpls[k] = v
	}
}

func inInt(in map[string]any, k string) int {
	switch t := in[k].(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return int(i)
		}
		if u, err := strconv.ParseUint(string(t), 10, 64); err == nil {
			return int(u >> 1)
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return int(f)
	}
	return 0
}

func inUint(in map[string]any, k string) uint64 {
	if t, ok := in[k].(json.Number); ok {
		if u, err := strconv.ParseUint(string(t), 10, 64); err == nil {
			return u
		}
		i, _ := strconv.ParseInt(string(t), 10, 64)
		return uint64(i)
	}
	return 0
}

func inFloat(in map[string]any, k string) float64 {
	if t, ok := in[k].(json.Number); ok {
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	}
	return 0
}

func inStr(in map[string]any, k string) string {
	s, _ := in[k].(string)
	return s
}

func inImage(in map[string]any, k string) (*imageVal, error) {
	if v, ok := in[k].(*imageVal); ok {
		return v, nil
	}
	return nil, &nodeError{typ: "AttributeError", msg: fmt.Sprintf("'%T' object has no attribute 'shape'", in[k])}
}

func inLatent(in map[string]any, k string) (*latentVal, error) {
	if v, ok := in[k].(*latentVal); ok {
		return v, nil
	}
	return nil, &nodeError{typ: "TypeError", msg: fmt.Sprintf("'%T' object is not subscriptable", in[k])}
}

func opaque(typ, desc string, sig uint64) *opaqueVal {
	return &opaqueVal{typ: typ, sig: sig, desc: desc}
}
