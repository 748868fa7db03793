package comfysim

import (
	"fmt"
	"hash/fnv"
)

// Values that flow through links. They are descriptions, not tensors: an
// image knows its size and how to compute a pixel, a latent its size.

type imageVal struct {
	W, H, B int
	sig     uint64
	px      func(b, x, y int) (r, g, bl uint8)
}

type latentVal struct {
	W, H, B int // pixel size (latent is W/8 x H/8)
	Frames  int // video latents: frames once decoded (0 = still image)
	sig     uint64
}

// opaqueVal stands for MODEL, CLIP, VAE, CONDITIONING, MASK, ...
type opaqueVal struct {
	typ  string
	sig  uint64
	desc string
}

func solidImage(w, h, b int, color uint32) *imageVal {
	r, g, bl := uint8(color>>16), uint8(color>>8), uint8(color)
	return &imageVal{W: w, H: h, B: b, sig: uint64(color), px: func(int, int, int) (uint8, uint8, uint8) { return r, g, bl }}
}

// patternImage is the "generated" picture of a sampler run: a smooth,
// deterministic pattern derived from the signature of everything upstream.
func patternImage(w, h, b int, sig uint64) *imageVal {
	return &imageVal{W: w, H: h, B: b, sig: sig, px: func(bi, x, y int) (uint8, uint8, uint8) {
		s := sig + uint64(bi)*0x9e3779b97f4a7c15
		fx := x * 255 / maxInt(w-1, 1)
		fy := y * 255 / maxInt(h-1, 1)
		r := uint8(fx) ^ uint8(s)
		g := uint8(fy) + uint8(s>>8)
		bl := uint8((fx+fy)/2) ^ uint8(s>>16)
		return r, g, bl
	}}
}

func invertImage(src *imageVal) *imageVal {
	return &imageVal{W: src.W, H: src.H, B: src.B, sig: mix(src.sig, 0x1), px: func(b, x, y int) (uint8, uint8, uint8) {
		r, g, bl := src.px(b, x, y)
		return 255 - r, 255 - g, 255 - bl
	}}
}

func scaleImage(src *imageVal, w, h int) *imageVal {
	return &imageVal{W: w, H: h, B: src.B, sig: mix(src.sig, uint64(w)<<32|uint64(h)), px: func(b, x, y int) (uint8, uint8, uint8) {
		return src.px(b, x*src.W/maxInt(w, 1), y*src.H/maxInt(h, 1))
	}}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func mix(a, b uint64) uint64 {
	h := fnv.New64a()
	var buf [16]byte
	for i := 0; i < 8; i++ {
		buf[i] = byte(a >> (8 * i))
		buf[8+i] = byte(b >> (8 * i))
	}
	_, _ = h.Write(buf[:])
	return h.Sum64()
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// reprValue is what ComfyUI's format_value gives for a non-scalar input in
// execution_error.current_inputs (str(x)).
func reprValue(v any) any {
	switch t := v.(type) {
	case *imageVal:
		return fmt.Sprintf("tensor of shape [%d, %d, %d, 3] (IMAGE)", t.B, t.H, t.W)
	case *latentVal:
		return fmt.Sprintf("{'samples': tensor of shape [%d, 4, %d, %d]}", t.B, t.H/8, t.W/8)
	case *opaqueVal:
		return t.desc
	case *videoVal:
		return fmt.Sprintf("<comfy_api.latest._input_impl.video_types.VideoFromComponents object (%d frames, %dx%d)>", t.frames.B, t.frames.W, t.frames.H)
	case *audioVal:
		return fmt.Sprintf("{'waveform': tensor of shape [%d, 2, %d], 'sample_rate': 44100}", t.batch, int(t.seconds*44100))
	default:
		return v
	}
}
