package lang

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// resolvePath makes path absolute from baseDir, expanding a leading "~/".
func resolvePath(baseDir, path string) string {
	if path == "~" || strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[1:])
		}
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	return filepath.Clean(path)
}

// pathFunc builds a one-path-argument function. The argument may be sensitive: then the
// result is sensitive too and errors do not name the path.
func pathFunc(ret cty.Type, impl func(path string) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String, AllowMarked: true}},
		Type:   function.StaticReturnType(ret),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			raw, marks := args[0].Unmark()
			v, err := impl(raw.AsString())
			if err != nil {
				if len(marks) > 0 {
					return cty.NilVal, fmt.Errorf("cannot read the file at the (sensitive value) path")
				}
				return cty.NilVal, err
			}
			return v.WithMarks(marks), nil
		},
	})
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no file exists at %s; paths are relative to the configuration directory", path)
		}
		return nil, fmt.Errorf("cannot read %s: %s", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; file() is for small text files", path, maxFileSize>>20)
	}
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}

// maxFileSize bounds file() and templatefile(): they hold the whole text in memory and
// in every value derived from it, so they are for small text files, not model weights.
const maxFileSize = 64 << 20

func makeFileFunc(baseDir string) function.Function {
	return pathFunc(cty.String, func(path string) (cty.Value, error) {
		b, err := readFile(resolvePath(baseDir, path))
		if err != nil {
			return cty.NilVal, err
		}
		if !utf8.Valid(b) {
			return cty.NilVal, fmt.Errorf("the file %s is not valid UTF-8; use filesha256 for binary files", path)
		}
		return cty.StringVal(string(b)), nil
	})
}

func makeFileExistsFunc(baseDir string) function.Function {
	return pathFunc(cty.Bool, func(path string) (cty.Value, error) {
		fi, err := os.Stat(resolvePath(baseDir, path))
		if err != nil {
			if os.IsNotExist(err) {
				return cty.False, nil
			}
			return cty.NilVal, fmt.Errorf("cannot stat %s: %s", path, err)
		}
		if !fi.Mode().IsRegular() {
			return cty.NilVal, fmt.Errorf("%s is not a regular file", path)
		}
		return cty.True, nil
	})
}

func makeFileSHA256Func(baseDir string) function.Function {
	return pathFunc(cty.String, func(path string) (cty.Value, error) {
		f, err := os.Open(resolvePath(baseDir, path))
		if err != nil {
			if os.IsNotExist(err) {
				return cty.NilVal, fmt.Errorf("no file exists at %s; paths are relative to the configuration directory", path)
			}
			return cty.NilVal, fmt.Errorf("cannot read %s: %s", path, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
			return cty.NilVal, fmt.Errorf("%s is not a regular file", path)
		}
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return cty.NilVal, fmt.Errorf("cannot read %s: %s", path, err)
		}
		return cty.StringVal(hex.EncodeToString(h.Sum(nil))), nil
	})
}

var absPathFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := filepath.Abs(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(filepath.ToSlash(p)), nil
	},
})

var baseNameFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(filepath.Base(args[0].AsString())), nil
	},
})

var dirNameFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(filepath.Dir(args[0].AsString())), nil
	},
})

// envFunc is env(name) or env(name, default): the environment variable's value, the
// default when it is unset, and an error when it is unset without a default.
var envFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "name", Type: cty.String}},
	VarParam: &function.Parameter{Name: "default", Type: cty.String, AllowNull: true},
	Type:     function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) > 2 {
			return cty.NilVal, fmt.Errorf("env takes a name and at most one default")
		}
		if v, ok := os.LookupEnv(args[0].AsString()); ok {
			return cty.StringVal(v), nil
		}
		if len(args) == 2 {
			if args[1].IsNull() {
				return cty.NullVal(cty.String), nil
			}
			return args[1], nil
		}
		return cty.NilVal, fmt.Errorf("the environment variable %s is not set; set it or pass a default: env(%q, \"\")", args[0].AsString(), args[0].AsString())
	},
})
