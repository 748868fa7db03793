package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// jsonErrorOffset finds the byte offset a JSON decoding error refers to.
func jsonErrorOffset(err error, dec *json.Decoder) int64 {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if se.Offset > 0 {
			return se.Offset - 1 // the offending byte
		}
		return 0
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Offset
	}
	return dec.InputOffset()
}

// jsonDiag reports malformed JSON at its line and column.
func jsonDiag(filename string, data []byte, off int64, err error) hcl.Diagnostics {
	pos := posAt(data, off)
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of JSON input"
		if len(data) == 0 {
			msg = "the file is empty"
		}
	}
	rng := hcl.Range{Filename: filename, Start: pos, End: pos}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Malformed workflow JSON",
		Detail:   fmt.Sprintf("%s:%d:%d: %s.", filename, pos.Line, pos.Column, msg),
		Subject:  &rng,
	}}
}

// posAt converts a byte offset into a 1-based line and column (columns count bytes).
func posAt(data []byte, off int64) hcl.Pos {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return hcl.Pos{Line: line, Column: col, Byte: int(off)}
}
