GO      ?= go
BIN     := bin/comfyhcl
POOL    := bin/comfyhcl-provider-pool
GOBIN   := $(shell $(GO) env GOPATH)/bin

.PHONY: build providers demo test bench generate fuzz clean

build: providers
	$(GO) build -o $(BIN) ./cmd/comfyhcl

# Third-party-style provider binaries built from this repository (drop them in
# ./.comfyhcl/plugins of a project, see docs/providers.md).
providers:
	$(GO) build -o $(POOL) ./cmd/comfyhcl-provider-pool

demo: build
	./scripts/demo.sh

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout=25m ./...

# BenchmarkPluginBoundary applies 1,000 renders twice (COMFYHCL_BENCH_INSTANCES=N for fewer).
bench: build
	$(GO) test -run='^$$' -bench=. -benchmem -timeout=30m ./...

# Regenerates the committed protobuf code; needs protoc (Debian: protobuf-compiler).
generate:
	$(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.11
	$(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
	PATH="$(GOBIN):$$PATH" protoc --go_out=. --go_opt=module=github.com/comfyhcl/comfyhcl \
		--go-grpc_out=. --go-grpc_opt=module=github.com/comfyhcl/comfyhcl plugins/proto/provider.proto

clean:
	rm -rf bin
