package comfysim

import (
	"fmt"
	"image"
	_ "image/gif"  // LoadImage decoders
	_ "image/jpeg" // LoadImage decoders
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const allocLimit = 64 << 30 // bytes; bigger EmptyImage tensors fail like the capture

func imageNodes() map[string]nodeImpl {
	return map[string]nodeImpl{
		"EmptyImage": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			w, h, b := inInt(in, "width"), inInt(in, "height"), inInt(in, "batch_size")
			if n := int64(w) * int64(h) * int64(b) * 4; n > allocLimit { // first torch.full of one channel
				return nil, nil, &nodeError{typ: "RuntimeError", msg: fmt.Sprintf("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate %d bytes. Error code 12 (Cannot allocate memory)", n)}
			}
			img := solidImage(w, h, b, uint32(inInt(in, "color")))
			img.sig = x.sig
			return []any{img}, nil, nil
		}},
		"ImageInvert": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			src, err := inImage(in, "image")
			if err != nil {
				return nil, nil, err
			}
			return []any{invertImage(src)}, nil, nil
		}},
		"ImageScale": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			src, err := inImage(in, "image")
			if err != nil {
				return nil, nil, err
			}
			w, h := inInt(in, "width"), inInt(in, "height")
			if w == 0 && h == 0 {
				return []any{src}, nil, nil
			}
			if w == 0 {
				w = maxInt(1, src.W*h/maxInt(src.H, 1))
			}
			if h == 0 {
				h = maxInt(1, src.H*w/maxInt(src.W, 1))
			}
			return []any{scaleImage(src, w, h)}, nil, nil
		}},
		"ImageBlur": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			src, err := inImage(in, "image")
			if err != nil {
				return nil, nil, err
			}
			// ComfyUI's ImageBlur has no interrupt check: an interrupt lets
			// it finish and stops the prompt at the next node (as captured).
			x.work(x.faults.StepDelay * 10)
			out := *src
			out.sig = x.sig
			return []any{&out}, nil, nil
		}},
		"ImageUpscaleWithModel": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			src, err := inImage(in, "image")
			if err != nil {
				return nil, nil, err
			}
			f := 4
			if m, ok := in["upscale_model"].(*opaqueVal); ok {
				if mm := regexp.MustCompile(`(?i)(\d+)x`).FindStringSubmatch(m.desc); mm != nil {
					f, _ = strconv.Atoi(mm[1])
				}
			}
			f = maxInt(f, 1)
			return []any{scaleImage(src, src.W*f, src.H*f)}, nil, nil
		}},
		"LoadImage": {
			run:             runLoadImage,
			customValidated: []string{"image"},
			validateInputs: func(s *Server, val any) string {
				name := pyStr(val)
				if p, ok := s.annotatedPath(name, "input"); !ok || !fileExists(p) {
					return "Invalid image file: " + name
				}
				return ""
			},
			isChanged: func(s *Server, in map[string]any) string {
				p, _ := s.annotatedPath(inStr(in, "image"), "input")
				st, err := os.Stat(p)
				if err != nil {
					return "missing"
				}
				return fmt.Sprintf("%d-%d", st.Size(), st.ModTime().UnixNano())
			},
		},
		"SaveImage": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			return x.saveImages(in, "output", inStr(in, "filename_prefix"))
		}},
		"PreviewImage": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			return x.saveImages(in, "temp", "ComfyUI_temp_"+randomLetters(5))
		}},
		"SaveImageWebsocket": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			img, err := inImage(in, "images")
			if err != nil {
				return nil, nil, err
			}
			for b := 0; b < img.B; b++ {
				png, err := encodePNGBatch(img, b, nil)
				if err != nil {
					return nil, nil, err
				}
				x.progressPreview(b, img.B, png, false)
			}
			return []any{}, nil, nil
		}},
	}
}

func runLoadImage(x *execCtx, in map[string]any) ([]any, *omap, error) {
	p, _ := x.s.annotatedPath(inStr(in, "image"), "input")
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, &nodeError{typ: "FileNotFoundError", msg: fmt.Sprintf("[Errno 2] No such file or directory: '%s'", p)}
	}
	defer f.Close()
	dec, _, err := image.Decode(f)
	if err != nil {
		return nil, nil, &nodeError{typ: "PIL.UnidentifiedImageError", msg: fmt.Sprintf("cannot identify image file '%s'", p), tb: tbLoadImage}
	}
	bd := dec.Bounds()
	img := &imageVal{W: bd.Dx(), H: bd.Dy(), B: 1, sig: x.sig, px: func(_, xx, yy int) (uint8, uint8, uint8) {
		r, g, b, _ := dec.At(bd.Min.X+xx, bd.Min.Y+yy).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}}
	return []any{img, opaque("MASK", fmt.Sprintf("tensor of shape [1, %d, %d] (MASK)", img.H, img.W), x.sig+1)}, nil, nil
}

var tbLoadImage = []string{
	"  File \"/opt/ComfyUI/nodes.py\", line 1647, in load_image\n    img = node_helpers.pillow(Image.open, image_path)\n          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
	"  File \"/opt/ComfyUI/node_helpers.py\", line 31, in pillow\n    x = fn(arg)\n        ^^^^^^^\n",
	"  File \"/usr/lib/python3/dist-packages/PIL/Image.py\", line 3283, in open\n    raise UnidentifiedImageError(msg)\n",
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

var randCounter atomic.Uint64

func randomLetters(n int) string {
	v := mix(uint64(time.Now().UnixNano()), randCounter.Add(1))
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteByte(byte('a' + v%26))
		v /= 26
	}
	return sb.String()
}
