package inbox

import "testing"

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
