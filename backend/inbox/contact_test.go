package inbox

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeAddress(t *testing.T) {
	cases := []struct {
		ch   Channel
		in   string
		want string
		err  bool
	}{
		{ChannelEmail, " Alice.Smith@Example.COM ", "alice.smith@example.com", false},
		{ChannelEmail, "no-at-sign", "", true},
		{ChannelEmail, "a@", "", true},
		{ChannelEmail, "Alice <a@b.c>", "", true},
		{ChannelPhone, "+44 (0)20 7946-0958", "+4402079460958", false},
		{ChannelPhone, "+44 20 7946 0958", "+442079460958", false},
		{ChannelWhatsApp, "0044-20-7946.0958", "00442079460958", false},
		{ChannelSMS, "12ab", "", true},
		{ChannelTelegram, " 551023 ", "551023", false},
		{ChannelTelegram, "  ", "", true},
	}
	for _, tc := range cases {
		got, err := NormalizeAddress(tc.ch, tc.in)
		if tc.err {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("NormalizeAddress(%s, %q): got %q, %v, want ErrInvalid", tc.ch, tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizeAddress(%s, %q): got %q, %v, want %q", tc.ch, tc.in, got, err, tc.want)
		}
	}
}

func TestContactNames(t *testing.T) {
	c := Contact{Name: "Chloé Dubois"}
	if got := c.FirstName(); got != "Chloé" {
		t.Errorf("FirstName: got %q, want Chloé", got)
	}
	c = Contact{Identities: []Identity{{Address: "x@y.z"}}}
	if got := c.DisplayName(); got != "x@y.z" {
		t.Errorf("DisplayName: got %q, want x@y.z", got)
	}
}

func TestIDs(t *testing.T) {
	a, b := NewID(PrefixConversation), NewID(PrefixConversation)
	if a == b || !HasPrefix(a, PrefixConversation) || !strings.HasPrefix(b, "cv_") {
		t.Fatalf("NewID: got %q and %q, want two distinct cv_ IDs", a, b)
	}
	if DerivedID(PrefixMessage, "acc", "<x@y>") != DerivedID(PrefixMessage, "acc", "<x@y>") {
		t.Fatal("DerivedID is not stable")
	}
	if DerivedID(PrefixMessage, "ab", "c") == DerivedID(PrefixMessage, "a", "bc") {
		t.Fatal("DerivedID: parts are not separated")
	}
}

func TestAccountDemo(t *testing.T) {
	cases := map[string]bool{`{"demo":true}`: true, `{"demo":false}`: false, `{}`: false, ``: false, `not json`: false}
	for cfg, want := range cases {
		if got := (Account{Config: []byte(cfg)}).Demo(); got != want {
			t.Errorf("Demo() with config %q: got %v, want %v", cfg, got, want)
		}
	}
}
