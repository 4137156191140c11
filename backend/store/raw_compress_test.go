package store

import (
	"bytes"
	stdflate "compress/flate"
	"math/rand"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestRawCodec(t *testing.T) {
	text := []byte(strings.Repeat("Subject: order\r\n\r\nThe parcel left on Tuesday. Спасибо! 注文\r\n", 200))
	noise := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(noise)
	for _, c := range []struct {
		name     string
		raw      []byte
		wantComp string
	}{
		{"text shrinks with s2", text, codecS2},
		{"small kept as is", []byte("From: a@b\r\n\r\nhi\r\n"), codecNone},
		{"random kept as is", noise, codecNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			comp, data := compress(c.raw)
			if comp != c.wantComp {
				t.Fatalf("compression %q, want %q", comp, c.wantComp)
			}
			got, err := decompress(comp, data, len(c.raw))
			if err != nil || !bytes.Equal(got, c.raw) {
				t.Fatalf("round trip: %v, equal %v", err, bytes.Equal(got, c.raw))
			}
		})
	}
	t.Run("deflate written by earlier versions", func(t *testing.T) {
		var b bytes.Buffer
		w, _ := stdflate.NewWriter(&b, stdflate.BestSpeed)
		w.Write(text)
		w.Close()
		for i := 0; i < 2; i++ { // the second time through a pooled reader
			got, err := decompress(codecDeflate, b.Bytes(), len(text))
			if err != nil || !bytes.Equal(got, text) {
				t.Fatalf("deflate: %v, equal %v", err, bytes.Equal(got, text))
			}
		}
	})
	t.Run("zstd written by a development build", func(t *testing.T) {
		enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
		got, err := decompress(codecZstd, enc.EncodeAll(text, nil), len(text))
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("zstd: %v, equal %v", err, bytes.Equal(got, text))
		}
	})
	t.Run("damage is an error", func(t *testing.T) {
		comp, data := compress(text)
		if _, err := decompress(comp, data, len(text)+1); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("wrong size: got %v, want a damaged error", err)
		}
		bad := bytes.Clone(data)
		bad = bad[:len(bad)/2]
		if _, err := decompress(comp, bad, len(text)); err == nil {
			t.Error("truncated s2: got no error")
		}
		if _, err := decompress(codecDeflate, []byte{0xff, 0xff, 0xff}, 10); err == nil {
			t.Error("bad deflate: got no error")
		}
		if _, err := decompress("zz", data, len(text)); err == nil || !strings.Contains(err.Error(), "unknown compression") {
			t.Errorf("unknown codec: got %v", err)
		}
	})
}
