package email

import (
	"encoding/json"

	"github.com/emersion/go-sasl"
)

// xoauth2Client implements Google's and Microsoft's XOAUTH2 SASL mechanism
// (https://developers.google.com/gmail/imap/xoauth2-protocol), which
// go-sasl does not provide: one initial response "user=U^Aauth=Bearer T^A^A".
type xoauth2Client struct {
	user, token string
}

// NewXOAuth2Client returns a SASL client for XOAUTH2.
func NewXOAuth2Client(user, token string) sasl.Client {
	return &xoauth2Client{user: user, token: token}
}

func (c *xoauth2Client) Start() (mech string, ir []byte, err error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next answers a server challenge. On failure the server sends a JSON error
// and expects an empty response before its final NO.
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	var e struct {
		Status string `json:"status"`
		Scope  string `json:"scope"`
	}
	if json.Unmarshal(challenge, &e) == nil && e.Status != "" {
		return []byte{}, &sasl.OAuthBearerError{Status: e.Status, Scope: e.Scope}
	}
	return []byte{}, nil
}
