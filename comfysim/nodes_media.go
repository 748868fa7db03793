package comfysim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Media nodes, so clients meet every output key: videos under "images"
// with animated [true] locally and under "video" on cloud, animated WEBP,
// audio under "audio", text under "text". The files are not playable media:
// each has its format's magic and header followed by deterministic bytes.

type videoVal struct {
	frames *imageVal
	fps    float64
}

type audioVal struct {
	seconds float64
	batch   int
	sig     uint64
}

func mediaNodes() map[string]nodeImpl {
	return map[string]nodeImpl{
		"ImageBatch": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			a, err := inImage(in, "image1")
			if err != nil {
				return nil, nil, err
			}
			b, err := inImage(in, "image2")
			if err != nil {
				return nil, nil, err
			}
			if b.W != a.W || b.H != a.H {
				b = scaleImage(b, a.W, a.H)
			}
			return []any{&imageVal{W: a.W, H: a.H, B: a.B + b.B, sig: x.sig, px: func(i, xx, yy int) (uint8, uint8, uint8) {
				if i < a.B {
					return a.px(i, xx, yy)
				}
				return b.px(i-a.B, xx, yy)
			}}}, nil, nil
		}},
		"RepeatImageBatch": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			a, err := inImage(in, "image")
			if err != nil {
				return nil, nil, err
			}
			n := inInt(in, "amount")
			return []any{&imageVal{W: a.W, H: a.H, B: a.B * n, sig: x.sig, px: func(i, xx, yy int) (uint8, uint8, uint8) {
				return a.px(i%a.B, xx, yy)
			}}}, nil, nil
		}},
		"CreateVideo": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			img, err := inImage(in, "images")
			if err != nil {
				return nil, nil, err
			}
			return []any{&videoVal{frames: img, fps: inFloat(in, "fps")}}, nil, nil
		}},
		"SaveVideo": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			v, ok := in["video"].(*videoVal)
			if !ok {
				return nil, nil, &nodeError{typ: "AttributeError", msg: "'NoneType' object has no attribute 'save_to'"}
			}
			res, err := x.saveFiles("output", inStr(in, "filename_prefix"), v.frames.W, v.frames.H, 1, "mp4", func(int) ([]byte, error) {
				return fakeMP4(v)
			})
			if err != nil {
				return nil, nil, err
			}
			ui := newOmap()
			if x.s.cloud() {
				ui.set("video", res)
			} else {
				ui.set("images", res)
				ui.set("animated", []any{true})
			}
			return []any{}, ui, nil
		}},
		"SaveAnimatedWEBP": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			img, err := inImage(in, "images")
			if err != nil {
				return nil, nil, err
			}
			res, err := x.saveFiles("output", inStr(in, "filename_prefix"), img.W, img.H, 1, "webp", func(int) ([]byte, error) {
				return fakeWebP(img)
			})
			if err != nil {
				return nil, nil, err
			}
			ui := newOmap()
			ui.set("images", res)
			ui.set("animated", []any{img.B != 1})
			return []any{}, ui, nil
		}},
		"EmptyLatentAudio": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			return []any{&latentVal{W: int(inFloat(in, "seconds") * 44100 / 2048), H: 1, B: inInt(in, "batch_size"), sig: x.sig}}, nil, nil
		}},
		"VAEDecodeAudio": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			lat, err := inLatent(in, "samples")
			if err != nil {
				return nil, nil, err
			}
			return []any{&audioVal{seconds: float64(lat.W) * 2048 / 44100, batch: lat.B, sig: x.sig}}, nil, nil
		}},
		"SaveAudio": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			a, ok := in["audio"].(*audioVal)
			if !ok {
				return nil, nil, &nodeError{typ: "TypeError", msg: "'NoneType' object is not subscriptable"}
			}
			res, err := x.saveFiles("output", inStr(in, "filename_prefix"), 0, 0, a.batch, "flac", func(i int) ([]byte, error) {
				return fakeFLAC(a, i), nil
			})
			if err != nil {
				return nil, nil, err
			}
			ui := newOmap()
			ui.set("audio", res)
			return []any{}, ui, nil
		}},
		"PreviewAny": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			ui := newOmap()
			ui.set("text", []any{fmt.Sprint(reprValue(in["source"]))})
			return []any{}, ui, nil
		}},
	}
}

// fakeMP4: ftyp + mdat holding the PNG frames.
func fakeMP4(v *videoVal) ([]byte, error) {
	var mdat bytes.Buffer
	for i := 0; i < v.frames.B; i++ {
		f, err := encodePNGBatch(v.frames, i, nil)
		if err != nil {
			return nil, err
		}
		mdat.Write(f)
	}
	var out bytes.Buffer
	box := func(typ string, body []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(8+len(body)))
		out.WriteString(typ)
		out.Write(body)
	}
	box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41"))
	box("mdat", mdat.Bytes())
	return out.Bytes(), nil
}

// fakeWebP: a RIFF/WEBP container with an ANIM-less VP8X header and the
// first frame's PNG as payload.
func fakeWebP(img *imageVal) ([]byte, error) {
	f, err := encodePNGBatch(img, 0, nil)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	body.WriteString("WEBP")
	body.WriteString("VP8X")
	_ = binary.Write(&body, binary.LittleEndian, uint32(10))
	vp8x := []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0} // animation flag
	w, h := uint32(img.W-1), uint32(img.H-1)
	vp8x[4], vp8x[5], vp8x[6] = byte(w), byte(w>>8), byte(w>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h), byte(h>>8), byte(h>>16)
	body.Write(vp8x)
	body.WriteString("SIMF")
	_ = binary.Write(&body, binary.LittleEndian, uint32(len(f)))
	body.Write(f)
	if len(f)%2 == 1 {
		body.WriteByte(0)
	}
	var out bytes.Buffer
	out.WriteString("RIFF")
	_ = binary.Write(&out, binary.LittleEndian, uint32(body.Len()))
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// fakeFLAC: "fLaC" + a STREAMINFO block (44.1 kHz stereo 16-bit, the
// duration) + deterministic bytes.
func fakeFLAC(a *audioVal, i int) []byte {
	var out bytes.Buffer
	out.WriteString("fLaC")
	out.Write([]byte{0x80, 0, 0, 34}) // last block, STREAMINFO, 34 bytes
	si := make([]byte, 34)
	binary.BigEndian.PutUint16(si[0:], 4096)
	binary.BigEndian.PutUint16(si[2:], 4096)
	samples := uint64(math.Round(a.seconds * 44100))
	// 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits samples
	v := uint64(44100)<<44 | uint64(1)<<41 | uint64(15)<<36 | (samples & (1<<36 - 1))
	binary.BigEndian.PutUint64(si[10:], v)
	out.Write(si)
	out.Write(ModelFileBytes(fmt.Sprintf("audio-%x-%d", a.sig, i), 1024))
	return out.Bytes()
}
