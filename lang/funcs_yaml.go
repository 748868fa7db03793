package lang

import (
	"fmt"
	"math"
	"math/big"
	"sort"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"gopkg.in/yaml.v3"
)

// yamlDecodeFunc is yamldecode(str): mappings become objects, sequences tuples, scalars
// strings, numbers, bools or null, exactly as jsondecode shapes JSON.
var yamlDecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var doc any
		if err := yaml.Unmarshal([]byte(args[0].AsString()), &doc); err != nil {
			return cty.NilVal, fmt.Errorf("invalid YAML: %s", err)
		}
		return yamlToCty(doc, 0)
	},
})

// maxYAMLDepth bounds recursion on hostile input (aliases can build deep structures).
const maxYAMLDepth = 200

func yamlToCty(v any, depth int) (cty.Value, error) {
	if depth > maxYAMLDepth {
		return cty.NilVal, fmt.Errorf("YAML nested deeper than %d levels", maxYAMLDepth)
	}
	switch v := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), nil
	case string:
		return cty.StringVal(v), nil
	case bool:
		return cty.BoolVal(v), nil
	case int:
		return cty.NumberIntVal(int64(v)), nil
	case int64:
		return cty.NumberIntVal(v), nil
	case uint64:
		return cty.NumberUIntVal(v), nil
	case *big.Int:
		return cty.NumberVal(new(big.Float).SetInt(v)), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return cty.NilVal, fmt.Errorf("YAML value %v is not a finite number", v)
		}
		return cty.NumberFloatVal(v), nil
	case []any:
		elems := make([]cty.Value, len(v))
		for i, e := range v {
			ev, err := yamlToCty(e, depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			elems[i] = ev
		}
		return cty.TupleVal(elems), nil
	case map[string]any:
		attrs := make(map[string]cty.Value, len(v))
		for k, e := range v {
			ev, err := yamlToCty(e, depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			attrs[k] = ev
		}
		return cty.ObjectVal(attrs), nil
	case map[any]any:
		keys := make([]string, 0, len(v))
		byKey := make(map[string]any, len(v))
		for k, e := range v {
			ks := fmt.Sprint(k)
			keys = append(keys, ks)
			byKey[ks] = e
		}
		sort.Strings(keys)
		attrs := make(map[string]cty.Value, len(v))
		for _, k := range keys {
			ev, err := yamlToCty(byKey[k], depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			attrs[k] = ev
		}
		return cty.ObjectVal(attrs), nil
	default:
		return cty.StringVal(fmt.Sprint(v)), nil
	}
}
