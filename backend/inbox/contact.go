package inbox

import (
	"fmt"
	"regexp"
	"strings"
)

// NormalizeAddress returns the canonical form of an identity address on a
// channel, so the same customer is found whichever way they wrote it.
func NormalizeAddress(ch Channel, addr string) (string, error) {
	a := strings.TrimSpace(addr)
	switch ch {
	case ChannelEmail:
		a = strings.ToLower(a)
		at := strings.LastIndexByte(a, '@')
		if at <= 0 || at == len(a)-1 || strings.ContainsAny(a, " <>\t\r\n") {
			return "", fmt.Errorf("inbox: %q is not an email address: %w", addr, ErrInvalid)
		}
	case ChannelPhone, ChannelSMS, ChannelWhatsApp:
		var b strings.Builder
		for i, r := range a {
			switch {
			case r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '+' && i == 0:
				b.WriteRune(r)
			case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
			default:
				return "", fmt.Errorf("inbox: %q is not a phone number: %w", addr, ErrInvalid)
			}
		}
		a = b.String()
		if len(strings.TrimPrefix(a, "+")) < 5 {
			return "", fmt.Errorf("inbox: %q is not a phone number: %w", addr, ErrInvalid)
		}
	default:
		if a == "" {
			return "", fmt.Errorf("inbox: empty %s address: %w", ch, ErrInvalid)
		}
	}
	return a, nil
}

var firstNameRe = regexp.MustCompile(`^[\p{L}][\p{L}'-]*`)

// FirstName guesses the first name of a contact for canned replies.
func (c Contact) FirstName() string {
	return firstNameRe.FindString(strings.TrimSpace(c.Name))
}

// DisplayName is the best name to show for the contact.
func (c Contact) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	for _, id := range c.Identities {
		if id.Display != "" {
			return id.Display
		}
	}
	if len(c.Identities) > 0 {
		return c.Identities[0].Address
	}
	return "Unknown"
}
