package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
)

// keyValue prints a sweep value for an instance key: numbers canonical, short plain
// strings bare, others quoted (and long ones shortened with a hash so keys stay unique).
func keyValue(v any) string {
	n := mustNormalize(v)
	s, isStr := n.(string)
	if !isStr {
		b, _ := json.Marshal(toJSONValue(n))
		return string(b)
	}
	if len(s) > 32 {
		sum := sha256.Sum256([]byte(s))
		return strconv.Quote(s[:24]+"…") + "~" + hex.EncodeToString(sum[:3])
	}
	if s == "" || strings.ContainsAny(s, ",=\"#[]\\") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}

// dirFor derives a filesystem-safe sub-folder from the key parts; when sanitising lost
// information a short hash of the key keeps folders distinct.
func dirFor(parts []string, key string) string {
	if key == "" {
		return ""
	}
	var clean []string
	lossy := false
	for _, p := range parts {
		c := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '=' || r == '_' {
				return r
			}
			lossy = true
			return '_'
		}, strings.TrimPrefix(p, "#"))
		clean = append(clean, c)
	}
	dir := strings.Join(clean, "_")
	if lossy {
		sum := sha256.Sum256([]byte(key))
		dir += "-" + hex.EncodeToString(sum[:4])
	}
	return dir
}
