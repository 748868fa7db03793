package plugins

import (
	"encoding/json"
	"fmt"
	"net"

	"github.com/hashicorp/go-plugin"
)

// ReattachEnv names the environment variable that points comfyhcl at providers already
// running under a debugger (started with ServeOptions.Debug) instead of starting them:
// a JSON object from provider name to ReattachInfo. comfyhcl warns whenever it is set.
const ReattachEnv = "COMFYHCL_REATTACH_PROVIDERS"

// ReattachInfo is where a debug-mode provider listens. The JSON shape is Terraform's
// TF_REATTACH_PROVIDERS one.
type ReattachInfo struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            ReattachAddr
}

// ReattachAddr is a listener address.
type ReattachAddr struct {
	Network string
	String  string
}

// FormatReattach renders one provider's reattach entry as the env variable's JSON.
func FormatReattach(name string, rc *plugin.ReattachConfig) (string, error) {
	info := ReattachInfo{Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: true,
		Addr: ReattachAddr{Network: rc.Addr.Network(), String: rc.Addr.String()}}
	b, err := json.Marshal(map[string]ReattachInfo{name: info})
	return string(b), err
}

// ParseReattach reads the value of ReattachEnv.
func ParseReattach(value string) (map[string]ReattachInfo, error) {
	var m map[string]ReattachInfo
	if err := json.Unmarshal([]byte(value), &m); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object of provider name to reattach info: %w", ReattachEnv, err)
	}
	for name, r := range m {
		if r.Addr.Network != "unix" && r.Addr.Network != "tcp" {
			return nil, fmt.Errorf("%s: provider %q has address network %q; want unix or tcp", ReattachEnv, name, r.Addr.Network)
		}
	}
	return m, nil
}

func (r ReattachInfo) config() (*plugin.ReattachConfig, error) {
	var addr net.Addr
	var err error
	switch r.Addr.Network {
	case "unix":
		addr, err = net.ResolveUnixAddr("unix", r.Addr.String)
	default:
		addr, err = net.ResolveTCPAddr("tcp", r.Addr.String)
	}
	if err != nil {
		return nil, err
	}
	proto := plugin.Protocol(r.Protocol)
	if proto == "" {
		proto = plugin.ProtocolGRPC
	}
	return &plugin.ReattachConfig{Protocol: proto, ProtocolVersion: r.ProtocolVersion, Pid: r.Pid, Test: true, Addr: addr}, nil
}
