//go:build unix

package host

import "golang.org/x/sys/unix"

func diskFree(path string) (int64, int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, err
	}
	bs := int64(st.Bsize) //nolint:unconvert // Bsize differs in type across systems
	return int64(st.Bavail) * bs, int64(st.Blocks) * bs, nil
}
