package comfysim

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Server is one simulated ComfyUI instance.
type Server struct {
	opts   Options
	log    hclog.Logger
	flavor string

	modelsDir string
	customDir string // custom_nodes/ beside the models folder, as in a ComfyUI base dir
	outputDir string
	inputDir  string
	tempDir   string
	cleanup   []string

	cat    *catalog
	custom *customNodes
	hub    *hub
	queue  *promptQueue
	hist   *history
	cache  *nodeCache
	jobs   *jobRegistry
	mgr    manager
	logs   logRing
	assets assetTasks
	exec   execState

	working atomic.Int32 // nodes inside uninterruptible work (tests wait on it)

	mu     sync.Mutex
	faults Faults
	stats  Stats
	rng    *rand.Rand

	ln         net.Listener
	httpSrv    *http.Server
	storageSrv *http.Server
	storageURL string
	signed     sync.Map // storage token -> file path
	url        string
	stop       chan struct{}
	wg         sync.WaitGroup
	closeMu    sync.Once
}

// New prepares a simulator (directories, catalogue) without listening.
func New(opts Options) (*Server, error) {
	flavor := opts.Flavor
	if flavor == "" {
		flavor = "local"
	}
	if flavor != "local" && flavor != "cloud" {
		return nil, fmt.Errorf("comfysim: flavor %q not supported (local or cloud)", flavor)
	}
	if _, ok := tierSlots[opts.Tier]; !ok {
		return nil, fmt.Errorf("comfysim: tier %q unknown (standard, creator, pro)", opts.Tier)
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	log := opts.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	s := &Server{opts: opts, log: log, flavor: flavor, stop: make(chan struct{})}
	s.faults = opts.Faults
	s.rng = rand.New(rand.NewSource(seedOf(opts.Faults)))
	s.stats.Requests = map[string]int{}
	if err := s.prepareDirs(); err != nil {
		s.removeTemp()
		return nil, err
	}
	cat, err := loadCatalog()
	if err != nil {
		s.removeTemp()
		return nil, err
	}
	s.cat = cat
	s.custom = &customNodes{}
	s.loadCustomNodes()
	s.hub = newHub(log)
	s.hub.drop = func() bool { return s.chance(s.currentFaults().WSDropRate) }
	slots := 1
	if flavor == "cloud" {
		slots = tierSlots[opts.Tier]
	}
	s.queue = newPromptQueue(slots)
	s.queue.notify = s.queueUpdated
	s.hist = newHistory()
	s.cache = newNodeCache()
	s.jobs = newJobRegistry()
	return s, nil
}

func (s *Server) prepareDirs() error {
	if s.opts.ModelsDir == "" {
		root, err := os.MkdirTemp("", "comfysim-base-")
		if err != nil {
			return err
		}
		s.cleanup = append(s.cleanup, root)
		d := filepath.Join(root, "models") // custom_nodes/ goes beside it
		if err := os.MkdirAll(filepath.Join(d, "checkpoints"), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, "checkpoints", "sim_base.safetensors"), placeholderSafetensors(), 0o644); err != nil {
			return err
		}
		s.modelsDir = d
	} else {
		abs, err := filepath.Abs(s.opts.ModelsDir)
		if err != nil {
			return err
		}
		s.modelsDir = abs
	}
	data := s.opts.DataDir
	if data == "" {
		d, err := os.MkdirTemp("", "comfysim-data-")
		if err != nil {
			return err
		}
		s.cleanup = append(s.cleanup, d)
		data = d
	}
	abs, err := filepath.Abs(data)
	if err != nil {
		return err
	}
	s.outputDir = filepath.Join(abs, "output")
	s.inputDir = filepath.Join(abs, "input")
	s.tempDir = filepath.Join(abs, "temp")
	for _, d := range []string{s.outputDir, s.inputDir, s.tempDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	s.customDir = filepath.Join(filepath.Dir(s.modelsDir), "custom_nodes")
	// ComfyUI ships input/example.png; LoadImage's COMBO lists it.
	ex := filepath.Join(s.inputDir, "example.png")
	if _, err := os.Stat(ex); errors.Is(err, os.ErrNotExist) {
		if b, err := encodePNG(solidImage(64, 64, 1, 0x336699), nil); err == nil {
			_ = os.WriteFile(ex, b, 0o644)
		}
	}
	return nil
}

func (s *Server) removeTemp() {
	for _, d := range s.cleanup {
		_ = os.RemoveAll(d)
	}
	s.cleanup = nil
}

// Start binds listen (e.g. "127.0.0.1:0") and serves in the background.
// It returns once the listener accepts connections.
func (s *Server) Start(listen string) error {
	if s.ln != nil {
		return errors.New("comfysim: already started")
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("comfysim: listen %s: %w", listen, err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	handler := s.routes()
	if s.cloud() {
		handler = s.cloudRoutes()
		if err := s.startStorage(); err != nil {
			_ = ln.Close()
			return err
		}
	}
	s.httpSrv = &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second}
	s.wg.Add(1 + s.queue.slots)
	go func() {
		defer s.wg.Done()
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "error", err)
		}
	}()
	for i := 0; i < s.queue.slots; i++ {
		go func() {
			defer s.wg.Done()
			s.worker()
		}()
	}
	s.log.Info("comfysim listening", "url", s.url, "models", s.modelsDir)
	s.logf("ComfyUI version: 0.3.64 (comfysim, %s flavour)", s.flavor)
	s.logf("Starting server\n")
	s.logf("To see the GUI go to: %s", s.url)
	return nil
}

// URL is the base URL, "http://127.0.0.1:PORT". Empty before Start.
func (s *Server) URL() string { return s.url }

// ModelsDir is the model root in use (the temp one when Options.ModelsDir was "").
func (s *Server) ModelsDir() string { return s.modelsDir }

// OutputDir is where SaveImage writes.
func (s *Server) OutputDir() string { return s.outputDir }

// InputDir is where uploads land and LoadImage reads.
func (s *Server) InputDir() string { return s.inputDir }

// Close stops the listener, the worker and every socket, and removes the
// temporary directories New created.
func (s *Server) Close() error {
	var err error
	s.closeMu.Do(func() {
		close(s.stop)
		s.queue.close()
		s.setInterrupt("")
		if s.httpSrv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err = s.httpSrv.Shutdown(ctx)
			cancel()
			if err != nil {
				err = s.httpSrv.Close()
			}
		}
		if s.storageSrv != nil {
			_ = s.storageSrv.Close()
		}
		s.hub.closeAll()
		s.wg.Wait()
		s.removeTemp()
	})
	return err
}

// SetFaults replaces the fault configuration; it applies to the next node run.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.rng = rand.New(rand.NewSource(seedOf(f)))
	s.mu.Unlock()
}

func seedOf(f Faults) int64 {
	if f.Seed == 0 {
		return 1
	}
	return f.Seed
}

// chance draws from the fault PRNG: true with probability p.
func (s *Server) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < p
}

func (s *Server) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.FailType == "" {
		f.FailType = "RuntimeError"
	}
	if f.FailMessage == "" {
		f.FailMessage = "Sizes of tensors must match except in dimension 1. Expected size 64 but got size 32 for tensor number 1 in the list."
	}
	f.StepDelay = defaultDuration(f.StepDelay, 2*time.Millisecond)
	f.HistoryLag = defaultDuration(f.HistoryLag, 2*time.Millisecond)
	return f
}

// defaultDuration: 0 means the default, a negative value means none.
func defaultDuration(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Requests = make(map[string]int, len(s.stats.Requests))
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	return out
}

func (s *Server) count(fn func(st *Stats)) {
	s.mu.Lock()
	fn(&s.stats)
	s.mu.Unlock()
}

// Restart reloads custom_nodes/ and drops every WebSocket, as restarting
// ComfyUI would (queue, history and caches survive, unlike a real restart).
func (s *Server) Restart() {
	s.loadCustomNodes()
	s.hub.closeAll()
}

// CustomNodesDir is the custom_nodes/ directory beside the models folder.
func (s *Server) CustomNodesDir() string { return s.customDir }
