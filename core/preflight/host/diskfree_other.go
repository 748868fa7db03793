//go:build !unix

package host

import "errors"

func diskFree(string) (int64, int64, error) {
	return 0, 0, errors.New("free disk space is not measured on this system")
}
