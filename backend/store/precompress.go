package store

import (
	"sync"
	"unsafe"
)

// Compressing an original is a fifth of the work of storing a message, and
// it runs inside the write transaction, on the one goroutine that writes.
// Precompress lets a caller that prepares messages on other cores (the
// importer, a sync fetching in bulk) do it there: InsertMessageTx then finds
// the result instead of compressing again.

type rawKey struct {
	p *byte
	n int
}

type packed struct {
	comp string
	data []byte
}

var precompressed sync.Map // rawKey -> packed

// maxPrecompressed bounds how many results wait; beyond it Precompress does
// nothing (the insert compresses as usual).
const maxPrecompressed = 8192

var precompressedN struct {
	sync.Mutex
	n int
}

// Precompress compresses raw ahead of InsertMessageTx storing a message
// whose Raw is this very slice. Call Forget if the message is not stored.
func Precompress(raw []byte) {
	if len(raw) == 0 {
		return
	}
	precompressedN.Lock()
	full := precompressedN.n >= maxPrecompressed
	if !full {
		precompressedN.n++
	}
	precompressedN.Unlock()
	if full {
		return
	}
	comp, data := compress(raw)
	if _, loaded := precompressed.LoadOrStore(rawKey{unsafe.SliceData(raw), len(raw)}, packed{comp, data}); loaded {
		decPrecompressed()
	}
}

// ForgetPrecompressed drops a result Precompress kept for raw.
func ForgetPrecompressed(raw []byte) {
	if len(raw) == 0 {
		return
	}
	if _, ok := precompressed.LoadAndDelete(rawKey{unsafe.SliceData(raw), len(raw)}); ok {
		decPrecompressed()
	}
}

func decPrecompressed() {
	precompressedN.Lock()
	precompressedN.n--
	precompressedN.Unlock()
}

// compressRaw is compress, using a Precompress result when there is one.
func compressRaw(raw []byte) (string, []byte) {
	if v, ok := precompressed.LoadAndDelete(rawKey{unsafe.SliceData(raw), len(raw)}); ok {
		decPrecompressed()
		p := v.(packed)
		return p.comp, p.data
	}
	return compress(raw)
}
