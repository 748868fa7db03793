package plugins

import (
	"context"
	"math"

	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Handshake is shared by host and providers. The magic cookie only stops a user from
// running a provider binary by hand; it is not a security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolMajor,
	MagicCookieKey:   "COMFYHCL_PROVIDER_MAGIC_COOKIE",
	MagicCookieValue: "d6f2a0c5b1e84f3c9a7e2b8d4c1f6a90",
}

// pluginName is the single plugin every provider binary serves.
const pluginName = "provider"

// maxMessageBytes caps gRPC messages both ways: object_info of a server with many packs
// reaches several MB, output bytes never cross.
const maxMessageBytes = 64 << 20

// providerPlugin adapts Provider to go-plugin's GRPCPlugin.
type providerPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl Provider
}

func (p *providerPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterProviderServer(s, &grpcServer{impl: p.impl})
	return nil
}

func (p *providerPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return &grpcClient{client: pb.NewProviderClient(conn)}, nil
}

func grpcServerOptions(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessageBytes), grpc.MaxSendMsgSize(maxMessageBytes))
	return grpc.NewServer(opts...)
}

func grpcDialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(math.MaxInt32))}
}
