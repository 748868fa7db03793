package host

import "strings"

// IsWSL2 reports whether Linux runs under WSL2: the kernel release says
// "microsoft-standard-WSL2" (WSL1 says "Microsoft" without WSL2), or WSL's environment
// (WSL_DISTRO_NAME together with WSL_INTEROP, which only WSL2 sets) is present.
func IsWSL2(procVersion string, getenv func(string) string) bool {
	v := strings.ToLower(procVersion)
	if strings.Contains(v, "wsl2") {
		return true
	}
	if getenv != nil && getenv("WSL_DISTRO_NAME") != "" && getenv("WSL_INTEROP") != "" {
		return true
	}
	return false
}
