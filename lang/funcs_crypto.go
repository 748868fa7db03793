package lang

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

func hashFunc(newHash func() hash.Hash, encode func([]byte) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			h := newHash()
			h.Write([]byte(args[0].AsString()))
			return cty.StringVal(encode(h.Sum(nil))), nil
		},
	})
}

var (
	md5Func          = hashFunc(md5.New, hex.EncodeToString)
	sha1Func         = hashFunc(sha1.New, hex.EncodeToString)
	sha256Func       = hashFunc(sha256.New, hex.EncodeToString)
	sha512Func       = hashFunc(sha512.New, hex.EncodeToString)
	base64SHA256Func = hashFunc(sha256.New, base64.StdEncoding.EncodeToString)
)

var base64EncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

var base64DecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.NilVal, errors.New("the string is not valid base64")
		}
		if !utf8.Valid(b) {
			return cty.NilVal, errors.New("the decoded bytes are not valid UTF-8")
		}
		return cty.StringVal(string(b)), nil
	},
})
