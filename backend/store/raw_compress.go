package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Originals are kept compressed with zstd at its fastest level: four times
// the speed of deflate's fastest on mail (base64 attachments make up most
// of the bytes), which mattered more than its slightly larger output once
// attachments stopped being stored twice. Stores written before keep their
// deflate rows; both read back.

var (
	zEncOnce sync.Once
	zEnc     *zstd.Encoder
	zDecOnce sync.Once
	zDec     *zstd.Decoder
)

func encoder() *zstd.Encoder {
	zEncOnce.Do(func() {
		zEnc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithEncoderCRC(false), zstd.WithWindowSize(1<<20))
	})
	return zEnc
}

func decoder() *zstd.Decoder {
	zDecOnce.Do(func() {
		zDec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithDecoderMaxMemory(1<<30))
	})
	return zDec
}

// compress compresses an original when that saves space. EncodeAll is
// safe from many goroutines at once.
func compress(raw []byte) (string, []byte) {
	if len(raw) < 512 {
		return "none", raw
	}
	out := encoder().EncodeAll(raw, make([]byte, 0, len(raw)/2))
	if len(out) >= len(raw) {
		return "none", raw
	}
	return "zstd", out
}

func decompress(comp string, data []byte, size int) ([]byte, error) {
	switch comp {
	case "none":
		return data, nil
	case "zstd":
		out, err := decoder().DecodeAll(data, make([]byte, 0, size))
		if err != nil {
			return nil, fmt.Errorf("store: original is damaged: %w", err)
		}
		return out, nil
	case "deflate":
		out := make([]byte, 0, size)
		buf := bytes.NewBuffer(out)
		if _, err := io.Copy(buf, flate.NewReader(bytes.NewReader(data))); err != nil {
			return nil, fmt.Errorf("store: original is damaged: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("store: unknown compression %q", comp)
}
