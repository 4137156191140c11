package inbox

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestSigned(t *testing.T) {
	cases := []struct {
		name, text, sig string
		ch              Channel
		want            string
	}{
		{"email", "Fixed.\n\n", "Sam\r\nBluebird Bikes\n\n", ChannelEmail, "Fixed.\n\n-- \nSam\nBluebird Bikes"},
		{"chat", "On its way!", "— Sam", ChannelTelegram, "On its way!\n\n— Sam"},
		{"none", "Thanks", "  \n", ChannelTelegram, "Thanks"},
		{"already signed", "Fixed.\r\n\r\n-- \r\nSam\r\n", "Sam", ChannelEmail, "Fixed.\r\n\r\n-- \r\nSam\r\n"},
		{"chat already signed", "Sure.\n\n— Sam", "— Sam", ChannelTelegram, "Sure.\n\n— Sam"},
		{"name in the text is not a signature", "Ask Sam", "Sam", ChannelTelegram, "Ask Sam\n\nSam"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Signed(c.text, c.sig, c.ch); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestSignatureBlockCases runs the cases the window's composer is tested
// with too (frontend/src/lib/writing.test.ts): one rule in two languages.
func TestSignatureBlockCases(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "signature_blocks.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name, Signature, Block string
		Email                  bool
	}
	if err := json.Unmarshal(b, &cases); err != nil || len(cases) == 0 {
		t.Fatalf("cases: %v", err)
	}
	for _, c := range cases {
		ch := ChannelTelegram
		if c.Email {
			ch = ChannelEmail
		}
		if got := SignatureBlock(c.Signature, ch); got != c.Block {
			t.Errorf("%s: got %q, want %q", c.Name, got, c.Block)
		}
	}
}
