package store

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
)

// Originals (message_raw.data) are stored with one of these codecs, named
// in message_raw.compression; all of them are read:
//
//   - "none": the bytes as they are (small messages, or ones that do not
//     shrink);
//   - "s2": the S2 block format (github.com/klauspost/compress/s2, a
//     Snappy extension). It is what new originals get. Measured on the
//     benchmark's mail (CPU time, 29 MB): S2 compresses in 65 ms and
//     decompresses in 35 ms to 18.8 MB; zstd at its fastest takes 300 ms
//     and 130 ms for 15.0 MB; deflate at its fastest about 900 ms and
//     500 ms for 16 MB. Decompressing originals is most of the work of an
//     mbox export, and compressing them a large part of filing mail;
//   - "zstd": zstd frames (RFC 8878), as a development build wrote;
//   - "deflate": raw DEFLATE (RFC 1951), what earlier versions wrote.
const (
	codecNone    = "none"
	codecS2      = "s2"
	codecZstd    = "zstd"
	codecDeflate = "deflate"
)

// minCompress is the size below which an original is kept as it is.
const minCompress = 512

// compress encodes an original for message_raw: S2 when that saves space.
func compress(raw []byte) (string, []byte) {
	if len(raw) < minCompress {
		return codecNone, raw
	}
	enc := s2.Encode(make([]byte, s2.MaxEncodedLen(len(raw))), raw)
	if len(enc) >= len(raw) {
		return codecNone, raw
	}
	return codecS2, bytes.Clone(enc) // do not keep MaxEncodedLen's slack alive
}

// decompress decodes what compress (or an earlier version) stored; size is
// the original's length, checked.
func decompress(comp string, data []byte, size int) ([]byte, error) {
	switch comp {
	case codecNone:
		return data, nil
	case codecS2:
		n, err := s2.DecodedLen(data)
		if err != nil || n != size {
			return nil, fmt.Errorf("store: original is damaged: s2 block of %d bytes, want %d (%v)", n, size, err)
		}
		out, err := s2.Decode(make([]byte, size), data)
		if err != nil {
			return nil, fmt.Errorf("store: original is damaged: %w", err)
		}
		return out, nil
	case codecZstd:
		out, err := zstdDecoder().DecodeAll(data, make([]byte, 0, size))
		if err != nil || len(out) != size {
			return nil, fmt.Errorf("store: original is damaged: %d bytes of %d (%v)", len(out), size, err)
		}
		return out, nil
	case codecDeflate:
		return inflate(data, size)
	}
	return nil, fmt.Errorf("store: unknown compression %q (written by a newer version of Tidings?)", comp)
}

// zstdDecoder is shared: DecodeAll is safe from many goroutines at once.
var zstdDecoder = sync.OnceValue(func() *zstd.Decoder {
	d, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithDecoderMaxMemory(1<<30))
	return d
})

// inflaters reuses DEFLATE readers: making one costs more than inflating
// a typical message.
var inflaters sync.Pool

func inflate(data []byte, size int) ([]byte, error) {
	src := bytes.NewReader(data)
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else {
		r.(flate.Resetter).Reset(src, nil)
	}
	defer inflaters.Put(r)
	out := make([]byte, size)
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, fmt.Errorf("store: original is damaged: %w", err)
	}
	return out, nil
}
