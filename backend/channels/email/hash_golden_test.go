package email

import (
	"strings"
	"testing"
)

// hashGoldenInputs cover what ContentHash normalizes: line endings,
// trailing whitespace and blank lines, mbox ">From " quoting, lines longer
// than its write chunk, and a body without a header.
func hashGoldenInputs() map[string]string {
	long := strings.Repeat("0123456789abcdef", 3000) // 48 KB on one line
	many := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n", 2000)
	return map[string]string{
		"plain":    "From: a@b.example\r\nTo: c@d.example\r\nSubject: Hi\r\nMessage-ID: <1@b>\r\n\r\nHello  \r\nthere\t\r\n\r\n\r\n",
		"lf":       "From: a@b.example\nSubject: Hi\n\nHello\n\n\nworld\n",
		"mbox":     "From: a@b.example\r\n\r\n>From the start\r\n>>From deeper\r\n>Fromage\r\n",
		"long":     "From: a@b.example\r\nSubject: long\r\n\r\nstart\r\n" + long + "\r\n\r\nend\r\n",
		"blanks":   "From: a@b.example\r\n\r\n" + strings.Repeat("\r\n", 20000) + "x\r\n" + strings.Repeat(" \r\n", 5),
		"base64":   "From: a@b.example\r\nContent-Type: application/pdf\r\n\r\n" + many,
		"noheader": "just a body line\r\nand another\r\n",
		"empty":    "",
	}
}

// TestContentHashGolden pins ContentHash's values: message IDs derive
// from them, so a change would store every message again on the next
// sync. The values were computed by the line-at-a-time implementation.
func TestContentHashGolden(t *testing.T) {
	want := map[string]string{
		"plain":    "00c474ee11f38483ad2b9dee5617b6fc",
		"lf":       "7c7e6a34147ddc1c8cdad910382cec0d",
		"mbox":     "c148f01b917cbab323f3ad54cba3ce43",
		"long":     "cdba34a9ef688029bca5e59f7fa8394f",
		"blanks":   "d0f1afd732062b434556031d0d3db4c1",
		"base64":   "90234c62faedff3f5308173739fe25b6",
		"noheader": "c30093e8c46f849e8dec05be3301f699",
		"empty":    "b5476a391add2e29d1eb75b050c75869",
	}
	for name, in := range hashGoldenInputs() {
		got := ContentHash([]byte(in))
		if got != want[name] {
			t.Errorf("%s: got %s, want %s", name, got, want[name])
		}
	}
}
