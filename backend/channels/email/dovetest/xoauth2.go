package dovetest

import (
	"bytes"
	"errors"
	"strings"
)

// xoauth2 is Google's SASL mechanism name
// (https://developers.google.com/gmail/imap/xoauth2-protocol).
const xoauth2 = "XOAUTH2"

// xoauth2Server checks one XOAUTH2 initial response
// "user=U^Aauth=Bearer T^A^A". A refused token gets the JSON error
// challenge; the client's empty answer to it ends in a failure.
type xoauth2Server struct {
	check  func(user, token string) bool
	failed bool
}

func (s *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if s.failed {
		return nil, true, errors.New("dovetest: XOAUTH2 token refused")
	}
	if response == nil {
		return []byte{}, false, nil // ask for the initial response
	}
	var user, token string
	for _, f := range bytes.Split(response, []byte{1}) {
		switch k, v, _ := strings.Cut(string(f), "="); k {
		case "user":
			user = v
		case "auth":
			token = strings.TrimPrefix(v, "Bearer ")
		}
	}
	if user == "" || token == "" || !s.check(user, token) {
		s.failed = true
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}
