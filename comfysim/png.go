package comfysim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"sort"
	"sync"
)

// encodePNG renders batch item 0 of img as a real PNG. text chunks (ComfyUI
// stores "prompt" and the extra_pnginfo keys) are inserted after IHDR.
func encodePNG(img *imageVal, text map[string]string) ([]byte, error) {
	return encodePNGBatch(img, 0, text)
}

func encodePNGBatch(img *imageVal, b int, text map[string]string) ([]byte, error) {
	if n := int64(img.W) * int64(img.H) * 4; n > 1<<28 { // above 8192x8192
		// Like torch would on a small box; keeps the simulator itself alive.
		return nil, &nodeError{typ: "RuntimeError", msg: fmt.Sprintf("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate %d bytes. Error code 12 (Cannot allocate memory)", n)}
	}
	rgba := image.NewNRGBA(image.Rect(0, 0, img.W, img.H))
	for y := 0; y < img.H; y++ {
		row := rgba.Pix[y*rgba.Stride:]
		for x := 0; x < img.W; x++ {
			r, g, bl := img.px(b, x, y)
			i := x * 4
			row[i], row[i+1], row[i+2], row[i+3] = r, g, bl, 255
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngPool}
	if err := enc.Encode(&buf, rgba); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	if len(text) == 0 {
		return out, nil
	}
	// signature (8) + IHDR chunk (4 len + 4 type + 13 data + 4 crc)
	const ihdrEnd = 8 + 25
	var chunks bytes.Buffer
	keys := make([]string, 0, len(text))
	for k := range text {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeChunk(&chunks, "tEXt", append(append([]byte(k), 0), text[k]...))
	}
	res := make([]byte, 0, len(out)+chunks.Len())
	res = append(res, out[:ihdrEnd]...)
	res = append(res, chunks.Bytes()...)
	res = append(res, out[ihdrEnd:]...)
	return res, nil
}

// pngPool reuses the encoder's buffers and zlib writer (about 1 MB each).
var pngPool = &encoderPool{}

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// encodeJPEG renders batch item 0 as a JPEG (sampler previews).
func encodeJPEG(img *imageVal) ([]byte, error) {
	rgba := image.NewNRGBA(image.Rect(0, 0, img.W, img.H))
	for y := 0; y < img.H; y++ {
		for x := 0; x < img.W; x++ {
			r, g, b := img.px(0, x, y)
			i := rgba.PixOffset(x, y)
			rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2], rgba.Pix[i+3] = r, g, b, 255
		}
	}
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: 75})
	return buf.Bytes(), err
}

func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(data)))
	w.Write(l[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	var c [4]byte
	binary.BigEndian.PutUint32(c[:], crc.Sum32())
	w.Write(c[:])
}
