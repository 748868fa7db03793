package comfyapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// SystemStats is GET /system_stats, the readiness and capacity probe.
type SystemStats struct {
	System struct {
		OS              string   `json:"os"`
		RAMTotal        int64    `json:"ram_total"`
		RAMFree         int64    `json:"ram_free"`
		ComfyUIVersion  string   `json:"comfyui_version"`
		PythonVersion   string   `json:"python_version"`
		PytorchVersion  string   `json:"pytorch_version"`
		EmbeddedPython  bool     `json:"embedded_python"`
		Argv            []string `json:"argv"`
		CloudVersion    string   `json:"cloud_version,omitempty"`
		FrontendVersion string   `json:"required_frontend_version"`
	} `json:"system"`
	Devices []Device `json:"devices"`
}

// Device is one compute device of the server.
type Device struct {
	Name           string `json:"name"`
	Type           string `json:"type"`
	Index          *int   `json:"index"`
	VRAMTotal      int64  `json:"vram_total"`
	VRAMFree       int64  `json:"vram_free"`
	TorchVRAMTotal int64  `json:"torch_vram_total"`
	TorchVRAMFree  int64  `json:"torch_vram_free"`
}

// SystemStats reads the server's version, RAM and devices.
func (c *Client) SystemStats(ctx context.Context) (*SystemStats, error) {
	var s SystemStats
	if err := c.getJSON(ctx, "/system_stats", nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ObjectInfo is the whole node catalogue, left raw: it is megabytes and
// its input specs come in two combo shapes the caller decodes lazily.
func (c *Client) ObjectInfo(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/object_info", nil, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// NodeInfo is /object_info/{class}; nil when the server does not know the
// class (it answers 200 {} rather than 404).
func (c *Client) NodeInfo(ctx context.Context, class string) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := c.getJSON(ctx, "/object_info/"+url.PathEscape(class), nil, &m); err != nil {
		return nil, err
	}
	return m[class], nil
}

// Models lists a model folder as relative file names. An empty list (200
// []) is a valid answer; an unknown or (on Cloud) empty folder is an error
// matching ErrFolderNotFound. Legacy aliases (unet, clip) are mapped, and
// on Cloud the other spelling is tried before giving up.
func (c *Client) Models(ctx context.Context, folder string) ([]string, error) {
	names, err := c.modelsOnce(ctx, canonicalFolder(folder))
	if err == nil || c.cfg.Flavor != FlavorCloud || !errors.Is(err, ErrFolderNotFound) {
		return names, err
	}
	alias, ok := folderAliases[canonicalFolder(folder)]
	if !ok {
		return nil, err
	}
	if names, aliasErr := c.modelsOnce(ctx, alias); aliasErr == nil {
		return names, nil
	}
	return nil, err
}

func (c *Client) modelsOnce(ctx context.Context, folder string) ([]string, error) {
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/models/"+url.PathEscape(folder), nil, &raw); err != nil {
		return nil, err
	}
	return parseModelList(raw)
}

// parseModelList accepts local strings and Cloud's {name, pathIndex}
// objects (mixed, even) and returns names.
func parseModelList(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("model list is not a JSON array: %w", err)
	}
	names := make([]string, 0, len(items))
	for _, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			names = append(names, s)
			continue
		}
		var obj struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(it, &obj); err != nil || obj.Name == "" {
			return nil, fmt.Errorf("model list item %s is neither a name nor {name}", it)
		}
		names = append(names, obj.Name)
	}
	return names, nil
}

// Folders is GET /models: the folder keys the server knows.
func (c *Client) Folders(ctx context.Context) ([]string, error) {
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/models", nil, &raw); err != nil {
		return nil, err
	}
	return parseModelList(raw)
}

// Embeddings lists embedding names (without extension).
func (c *Client) Embeddings(ctx context.Context) ([]string, error) {
	var names []string
	if err := c.getJSON(ctx, "/embeddings", nil, &names); err != nil {
		return nil, err
	}
	return names, nil
}
