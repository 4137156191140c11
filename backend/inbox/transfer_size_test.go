package inbox

import (
	"encoding/base64"
	"math/rand"
	"strings"
	"testing"
)

// DecodedSize counts base64 without decoding it; the count must be what
// decoding gives, whatever the input.
func checkBase64Size(t *testing.T, body []byte) {
	t.Helper()
	got, ok := DecodedSize("base64", body)
	if want := int64(len(decodeBase64(body))); !ok || got != want {
		t.Errorf("DecodedSize(base64, %q) = %d, %v; decoding gives %d", body, got, ok, want)
	}
}

func TestDecodedSizeBase64MatchesDecoding(t *testing.T) {
	wrapped := func(b []byte) string {
		s := base64.StdEncoding.EncodeToString(b)
		var w strings.Builder
		for len(s) > 76 {
			w.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		w.WriteString(s + "\r\n")
		return w.String()
	}
	for _, s := range []string{
		"", "\r\n", "QQ==", "QUI=", "QUJD", "QUJDRA==", " QUJD \r\n", "QQ", "QUI", "Q", "QUJDR",
		"QQ==QQ==", "QUJD\r\nRA==\r\n", "a-_b", "QU*JD", "QUJD.RA==", "====", "Q=Q=", "é日本",
		wrapped([]byte("hello, world")), wrapped(make([]byte, 1000)), wrapped([]byte{0xff, 0xfe, 0xfd, 1}),
	} {
		checkBase64Size(t, []byte(s))
	}
	// Well-formed encodings of every length: the exact size.
	for n := 0; n < 200; n++ {
		b := make([]byte, n)
		if got, _ := DecodedSize("base64", []byte(wrapped(b))); got != int64(n) {
			t.Errorf("%d bytes encoded: size %d", n, got)
		}
	}
	// Random bytes drawn mostly from the alphabet, with junk among them.
	r := rand.New(rand.NewSource(1))
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \r\n.*\x00\xff"
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.Intn(64))
		for j := range b {
			b[j] = chars[r.Intn(len(chars))]
		}
		checkBase64Size(t, b)
	}
}

func FuzzDecodedSizeBase64(f *testing.F) {
	for _, s := range []string{"QUJD", "QQ==\r\n", "a-_b*", "QUJDR"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkBase64Size(t, b) })
}

func BenchmarkDecodedSizeBase64(b *testing.B) {
	data := make([]byte, 1<<20)
	rand.New(rand.NewSource(1)).Read(data)
	enc := []byte(base64.StdEncoding.EncodeToString(data))
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		DecodedSize("base64", enc)
	}
}
