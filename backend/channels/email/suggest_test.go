package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"tidings/backend/inbox"
)

type fakeDNS struct {
	srv map[string][]*net.SRV
	mx  map[string][]*net.MX
}

func (f fakeDNS) LookupSRV(_ context.Context, service, proto, name string) (string, []*net.SRV, error) {
	if r, ok := f.srv["_"+service+"._"+proto+"."+name]; ok {
		return "", r, nil
	}
	return "", nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if r, ok := f.mx[name]; ok {
		return r, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func TestSuggest(t *testing.T) {
	dns := fakeDNS{
		srv: map[string][]*net.SRV{
			"_imaps._tcp.shop.example":           {{Target: "mail2.shop.example.", Port: 993, Priority: 20}, {Target: "mail.shop.example.", Port: 993, Priority: 10}},
			"_submission._tcp.shop.example":      {{Target: "smtp.shop.example.", Port: 587}},
			"_imap._tcp.nosubmit.example":        {{Target: "imap.nosubmit.example.", Port: 143}},
			"_submissions._tcp.nosubmit.example": {{Target: ".", Port: 0}},
		},
		mx: map[string][]*net.MX{
			"bakery.example": {{Host: "aspmx.l.google.com.", Pref: 1}},
			"firm.example":   {{Host: "firm-example.mail.protection.outlook.com.", Pref: 0}},
		},
	}
	cases := []struct {
		addr, want, source string
	}{
		{"ann@gmail.com", "imap.gmail.com:993 tls smtp.gmail.com:465 tls saves=true", "known provider Gmail"},
		{"Bob@Outlook.com", "outlook.office365.com:993 tls smtp.office365.com:587 starttls saves=true", "known provider Microsoft 365 / Outlook"},
		{"owner@shop.example", "mail.shop.example:993 tls smtp.shop.example:587 starttls saves=false", "DNS SRV records of shop.example (RFC 6186)"},
		{"me@bakery.example", "imap.gmail.com:993 tls smtp.gmail.com:465 tls saves=true", "MX records of bakery.example: hosted by Gmail"},
		{"me@firm.example", "outlook.office365.com:993 tls smtp.office365.com:587 starttls saves=true", "MX records of firm.example: hosted by Microsoft 365 / Outlook"},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			s, err := Suggest(context.Background(), tc.addr, dns)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%s:%d %s %s:%d %s saves=%v", s.IMAPHost, s.IMAPPort, s.IMAPSecurity, s.SMTPHost, s.SMTPPort, s.SMTPSecurity, s.ServerSavesSent)
			if got != tc.want || s.Source != tc.source {
				t.Errorf("got %s (%s), want %s (%s)", got, s.Source, tc.want, tc.source)
			}
		})
	}
	for _, addr := range []string{"x@nosubmit.example", "x@unknown.example"} {
		if _, err := Suggest(context.Background(), addr, dns); !errors.Is(err, inbox.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", addr, err)
		}
	}
}
