package comfysim

import (
	"encoding/json"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Options configures a simulator. The zero value is a usable local server
// with temporary model and data directories.
type Options struct {
	Flavor    string       // "local" (default) or "cloud"
	ModelsDir string       // model folders are its subdirs (checkpoints/, loras/, ...), read live; "" => temp dir with checkpoints/sim_base.safetensors
	DataDir   string       // holds output/, input/, temp/; "" => temp dir
	Faults    Faults       // initial fault configuration
	Logger    hclog.Logger // may be nil

	PreviewMethod string // "" or "none" (ComfyUI's default), "auto", "latent2rgb", "taesd": samplers send a JPEG preview per step
	ProgressText  bool   // samplers also send binary type 3 text frames ("step i/N")

	// Cloud flavour only.
	APIKey        string // the one valid X-API-Key (and WS token); "" => DefaultAPIKey
	Tier          string // "standard" (1 concurrent job), "creator" (3), "pro" (5); "" => standard
	StorageListen string // second listener for signed /api/view redirects; "" => 127.0.0.2:0, else 127.0.0.1:0

	// Estate services: the registry serves on both flavours, Manager only on local.
	RegistryPacks []RegistryPack // packs the registry at /registry publishes; nil => DefaultRegistryPacks
	Manager       string         // ComfyUI-Manager routes: "" (none, like the capture), "legacy" (v3), "v2" (v4 integrated), "both"

	// ExtraClasses adds classes known only by their NodeInfo, as
	// object_info JSON {Class: NodeInfo} (e.g. custom nodes a workflow
	// needs); they run generically (see genericRun).
	ExtraClasses json.RawMessage
}

// DefaultAPIKey is the cloud flavour's key when Options.APIKey is empty.
const DefaultAPIKey = "comfysim-cloud-key"

// Faults are the knobs that make the simulator misbehave on purpose. They
// can be changed while it runs (SetFaults); rates use a PRNG seeded by Seed,
// so a given configuration misbehaves the same way every time.
type Faults struct {
	FailClass   string        // node class_type that raises execution_error (e.g. "ImageInvert")
	FailType    string        // exception type, default "RuntimeError"
	FailMessage string        // exception message, default a realistic RuntimeError text
	OOMClass    string        // node class_type that raises torch.OutOfMemoryError with ComfyUI's OOM tips
	StepDelay   time.Duration // per sampler step and per slow node (0 = default 2ms, negative = none)
	HistoryLag  time.Duration // delay between execution_success and the history write (0 = default 2ms, negative = none)

	Latency time.Duration // added before every HTTP answer

	WSDropRate float64       // fraction of WebSocket messages silently dropped (never the first status)
	WSDelay    time.Duration // added before each WebSocket message
	WSCutAfter int           // close each socket abruptly after it has sent this many messages

	ViewErrorRate  float64 // fraction of file downloads answered 500
	ViewResetRate  float64 // fraction of file downloads whose connection is reset mid-body
	ViewResetAfter int64   // body bytes sent before a reset (default: half the body)
	SlowBodyBPS    int64   // cap on file download throughput in bytes/s (0 = unlimited)

	CloudStatus int // cloud flavour: 401 (every authenticated route), 402 or 429 (POST /api/prompt)

	Seed int64 // PRNG seed for the rates (0 = 1)
}

// Stats counts what the simulator has served.
type Stats struct {
	Submits  int            `json:"submits"`  // POST /prompt accepted (200)
	Rejects  int            `json:"rejects"`  // POST /prompt rejected (400/500)
	Runs     int            `json:"runs"`     // prompts the worker finished (any outcome)
	Requests map[string]int `json:"requests"` // per route pattern as registered, e.g. "POST /api/prompt"
}
