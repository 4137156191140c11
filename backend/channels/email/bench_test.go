package email

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkParseCorpus parses every message of both corpora per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	var msgs [][]byte
	var size int64
	for _, f := range corpusFiles(b) {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
		size += int64(len(raw))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, m := range msgs {
			Parse(m)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs))/1e3, "µs/msg")
}

// BenchmarkParseHostile measures the caps: 3,000 nested multiparts, 5,000
// parts, a 600 KiB header.
func BenchmarkParseHostile(b *testing.B) {
	deep := &strings.Builder{}
	deep.WriteString("From: a@b.c\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(deep, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i+1)
	}
	wide := &strings.Builder{}
	wide.WriteString("From: a@b.c\nSubject: wide\nContent-Type: multipart/mixed; boundary=w\n\n")
	for i := 0; i < 5000; i++ {
		wide.WriteString("--w\nContent-Type: application/octet-stream\n\nx\n")
	}
	big := "From: a@b.c\nX-Junk: " + strings.Repeat("a", 600<<10) + "\n\nbody\n"
	for name, raw := range map[string]string{"nested": deep.String(), "parts": wide.String(), "header": big} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Parse([]byte(raw))
			}
		})
	}
}
