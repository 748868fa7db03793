package comfysim

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Helpers that format values the way ComfyUI's Python code does in error
// messages (str(), repr(), int(), float()).

func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		if strings.Contains(t, "'") && !strings.Contains(t, `"`) {
			return `"` + t + `"`
		}
		return "'" + strings.ReplaceAll(t, "'", `\'`) + "'"
	case json.Number:
		return pyNumber(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := []string{}
		for k, x := range t {
			parts = append(parts, pyRepr(k)+": "+pyRepr(x))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(t)
	}
}

// pyStr is str(v): strings unquoted, everything else repr.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyNumber renders a JSON number as Python would print the parsed value
// (ints as ints, floats always with a dot or exponent).
func pyNumber(n json.Number) string {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return pyFloat(f)
}

func pyFloat(f float64) string {
	abs := math.Abs(f)
	if f != 0 && (abs >= 1e16 || abs < 1e-4) {
		return strconv.FormatFloat(f, 'e', -1, 64) // "1e+16", "1.5e-05", as Python
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func pyFloatNumber(f float64) json.Number { return json.Number(pyFloat(f)) }

// pyInt is int(v); the error text is Python's.
func pyInt(v any) (*big.Int, error) {
	switch t := v.(type) {
	case json.Number:
		if i, ok := new(big.Int).SetString(string(t), 10); ok {
			return i, nil
		}
		f, _, err := big.ParseFloat(string(t), 10, 256, big.ToZero)
		if err != nil {
			return nil, err
		}
		i, _ := f.Int(nil)
		return i, nil
	case bool:
		if t {
			return big.NewInt(1), nil
		}
		return big.NewInt(0), nil
	case string:
		s := strings.ReplaceAll(strings.TrimSpace(t), "_", "")
		if i, ok := new(big.Int).SetString(s, 10); ok && s != "" {
			return i, nil
		}
		return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyRepr(t))
	case nil:
		return nil, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")
	case map[string]any:
		return nil, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not 'dict'")
	}
	return nil, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not '%T'", v)
}

// pyFloatOf is float(v).
func pyFloatOf(v any) (float64, error) {
	switch t := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(t), 64)
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			return 0, fmt.Errorf("could not convert string to float: %s", pyRepr(t))
		}
		return f, nil
	case nil:
		return 0, fmt.Errorf("float() argument must be a string or a real number, not 'NoneType'")
	case map[string]any:
		return 0, fmt.Errorf("float() argument must be a string or a real number, not 'dict'")
	}
	return 0, fmt.Errorf("float() argument must be a string or a real number, not '%T'", v)
}

// pyTruth is bool(v).
func pyTruth(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case json.Number:
		f, _ := strconv.ParseFloat(string(t), 64)
		return f != 0
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// numCmp compares a coerced value with a min/max bound from object_info.
func numCmp(v json.Number, bound any) (int, bool) {
	b, ok := bound.(json.Number)
	if !ok {
		return 0, false
	}
	x, _, err1 := big.ParseFloat(string(v), 10, 256, big.ToNearestEven)
	y, _, err2 := big.ParseFloat(string(b), 10, 256, big.ToNearestEven)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return x.Cmp(y), true
}

// jsonEq is Python == for JSON scalars (1 == 1.0 == True).
func jsonEq(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		c, ok := numCmp(an, bn)
		return ok && c == 0
	}
	return fmt.Sprintf("%T:%v", a, a) == fmt.Sprintf("%T:%v", b, b)
}
