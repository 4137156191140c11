package inbox

import "strings"

// SignatureSeparator is the line above an email signature (RFC 3676
// section 4.3: "-- " alone on a line), which mail programs use to fold it.
const SignatureSeparator = "-- "

// SignatureBlock is what goes under a reply's text for a signature, the
// window composer's rule (frontend lib/writing.ts signatureBlock; both run
// testdata/signature_blocks.json): on email a blank line and the "-- "
// line, on other channels a blank line; line endings "\n" and trailing
// space trimmed; "" for an empty signature.
func SignatureBlock(sig string, ch Channel) string {
	s := strings.TrimRight(strings.ReplaceAll(sig, "\r\n", "\n"), " \t\r\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if ch == ChannelEmail {
		return "\n\n" + SignatureSeparator + "\n" + s
	}
	return "\n\n" + s
}

// Signed returns text with the signature block under it, unless the text
// already carries the signature (written in by hand, or by the composer).
func Signed(text, sig string, ch Channel) string {
	block := SignatureBlock(sig, ch)
	if block == "" {
		return text
	}
	if strings.Contains(strings.ReplaceAll(text, "\r\n", "\n"), block) {
		return text
	}
	return strings.TrimRight(text, " \t\r\n") + block
}
