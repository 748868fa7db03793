package workflow

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// CanonicalJSON is the graph as API-format JSON with sorted keys, canonical numbers and
// no HTML escaping: the same graph always gives the same bytes. It is what providers
// submit as the "prompt" of POST /prompt. _meta is included when present.
func (g Graph) CanonicalJSON() []byte {
	return g.marshal(true)
}

// Hash is the hex sha256 of the canonical graph without _meta (titles do not change
// what a render produces), for render identity.
func (g Graph) Hash() string {
	sum := sha256.Sum256(g.marshal(false))
	return hex.EncodeToString(sum[:])
}

// MarshalJSON makes a Graph encode as its canonical API-format JSON.
func (g Graph) MarshalJSON() ([]byte, error) {
	return bytes.TrimRight(g.CanonicalJSON(), "\n"), nil
}

func (g Graph) marshal(withMeta bool) []byte {
	m := make(map[string]any, len(g))
	for id, n := range g {
		if n == nil {
			continue
		}
		inputs := make(map[string]any, len(n.Inputs))
		for k, v := range n.Inputs {
			inputs[k] = toJSONValue(v)
		}
		e := map[string]any{"class_type": n.ClassType, "inputs": inputs}
		if withMeta && len(n.Meta) > 0 {
			e["_meta"] = toJSONValue(n.Meta)
		}
		m[id] = e
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		// Only unsupported Go values can fail here; normalizeValue prevents them.
		panic(fmt.Sprintf("workflow: canonical JSON: %v", err))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// toJSONValue turns Links into ["id", n] arrays, recursively.
func toJSONValue(v any) any {
	switch t := v.(type) {
	case Link:
		return []any{t.NodeID, t.Output}
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = toJSONValue(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, e := range t {
			c[k] = toJSONValue(e)
		}
		return c
	default:
		return v
	}
}

// normalizeValue converts a Go value (as decoded from JSON, or converted from HCL by a
// caller) into the graph's value model: numbers become canonical json.Number.
func normalizeValue(v any) (any, error) {
	switch t := v.(type) {
	case nil, string, bool, Link:
		return t, nil
	case json.Number:
		return canonicalNumber(string(t))
	case int:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(t, 10)), nil
	case float32:
		return floatNumber(float64(t))
	case float64:
		return floatNumber(t)
	case *big.Float:
		if t.IsInt() {
			i, _ := t.Int(nil)
			return json.Number(i.String()), nil
		}
		f, _ := t.Float64()
		return floatNumber(f)
	case *big.Int:
		return json.Number(t.String()), nil
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			n, err := normalizeValue(e)
			if err != nil {
				return nil, err
			}
			c[i] = n
		}
		return c, nil
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, e := range t {
			n, err := normalizeValue(e)
			if err != nil {
				return nil, err
			}
			c[k] = n
		}
		return c, nil
	default:
		return nil, fmt.Errorf("unsupported value of Go type %T", v)
	}
}

func floatNumber(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("number %v cannot be written as JSON", f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return json.Number(strconv.FormatInt(int64(f), 10)), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// canonicalNumber rewrites a JSON number so that equal values print alike: 8.0 -> 8,
// -0 -> 0, 1E3 -> 1000; integers of any size keep every digit.
func canonicalNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		i, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("invalid number %q", s)
		}
		return json.Number(i.String()), nil
	}
	// Whole numbers written with a fraction or exponent ("8.0", "1.8446744073709551615e+19",
	// as go-cty prints big seeds) keep every digit.
	if bf, _, err := big.ParseFloat(s, 10, 256, big.ToNearestEven); err == nil && bf.IsInt() && bf.MantExp(nil) <= 96 {
		i, _ := bf.Int(nil)
		return json.Number(i.String()), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid number %q", s)
	}
	return floatNumber(f)
}

// numberOf returns v as a big.Float when it is a number.
func numberOf(v any) (*big.Float, bool) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = string(t)
	case int:
		s = strconv.Itoa(t)
	case int64:
		s = strconv.FormatInt(t, 10)
	case float64:
		return big.NewFloat(t), true
	default:
		return nil, false
	}
	f, _, err := big.ParseFloat(s, 10, 200, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	return f, true
}
