package lang

import (
	"errors"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// errSensitiveArg replaces the error of a function called with a sensitive argument:
// many functions quote their argument when they fail ("cannot convert "..." to number"),
// which would print the secret.
const sensitiveArgMessage = "the argument is a (sensitive value), so the reason it was rejected is not shown"

// hideSensitiveErrors wraps fn so that an error from a call with any sensitive argument
// never quotes the argument. Marks still flow as before: the wrapper accepts marked
// arguments and hands them to fn, which unmarks and re-marks as it always does.
func hideSensitiveErrors(fn function.Function) function.Function {
	params := fn.Params()
	outer := make([]function.Parameter, len(params))
	for i, p := range params {
		p.AllowMarked = true
		outer[i] = p
	}
	var varParam *function.Parameter
	if vp := fn.VarParam(); vp != nil {
		cp := *vp
		cp.AllowMarked = true
		varParam = &cp
	}
	return function.New(&function.Spec{
		Description: fn.Description(),
		Params:      outer,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := fn.ReturnTypeForValues(args)
			return ty, scrubError(err, args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := fn.Call(args)
			return v, scrubError(err, args)
		},
		RefineResult: nil,
	})
}

func scrubError(err error, args []cty.Value) error {
	if err == nil {
		return nil
	}
	sensitive := false
	for _, a := range args {
		sensitive = sensitive || IsSensitive(a)
	}
	if !sensitive {
		return err
	}
	var argErr function.ArgError
	if errors.As(err, &argErr) {
		return function.NewArgErrorf(argErr.Index, sensitiveArgMessage)
	}
	return errors.New(sensitiveArgMessage)
}

// withHiddenSensitiveErrors wraps every function of fns except try and can, whose
// arguments are unevaluated expressions.
func withHiddenSensitiveErrors(fns map[string]function.Function) map[string]function.Function {
	for name, fn := range fns {
		if name == "try" || name == "can" {
			continue
		}
		fns[name] = hideSensitiveErrors(fn)
	}
	return fns
}
