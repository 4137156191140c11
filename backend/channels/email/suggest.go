package email

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strings"

	"tidings/backend/inbox"
)

// Suggestion is a guess at an account's server settings.
type Suggestion struct {
	Config
	// Source says where the guess came from, for the user.
	Source string
}

// Resolver is the DNS lookups Suggest makes; *net.Resolver satisfies it.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
}

type provider struct {
	name                 string
	imapHost, smtpHost   string
	smtpPort             int
	serverSavesSent      bool
	appPasswordAdviceURL string
}

var (
	gmail   = provider{name: "Gmail", imapHost: "imap.gmail.com", smtpHost: "smtp.gmail.com", smtpPort: 465, serverSavesSent: true}
	outlook = provider{name: "Microsoft 365 / Outlook", imapHost: "outlook.office365.com", smtpHost: "smtp.office365.com", smtpPort: 587, serverSavesSent: true}
)

// knownProviders maps mail domains to their servers.
var knownProviders = map[string]provider{
	"gmail.com": gmail, "googlemail.com": gmail,
	"outlook.com": outlook, "hotmail.com": outlook, "live.com": outlook, "msn.com": outlook,
	"yahoo.com":    {name: "Yahoo", imapHost: "imap.mail.yahoo.com", smtpHost: "smtp.mail.yahoo.com", smtpPort: 465},
	"icloud.com":   {name: "iCloud", imapHost: "imap.mail.me.com", smtpHost: "smtp.mail.me.com", smtpPort: 587},
	"me.com":       {name: "iCloud", imapHost: "imap.mail.me.com", smtpHost: "smtp.mail.me.com", smtpPort: 587},
	"fastmail.com": {name: "Fastmail", imapHost: "imap.fastmail.com", smtpHost: "smtp.fastmail.com", smtpPort: 465},
	"gmx.de":       {name: "GMX", imapHost: "imap.gmx.net", smtpHost: "mail.gmx.net", smtpPort: 587},
	"gmx.net":      {name: "GMX", imapHost: "imap.gmx.net", smtpHost: "mail.gmx.net", smtpPort: 587},
	"web.de":       {name: "WEB.DE", imapHost: "imap.web.de", smtpHost: "smtp.web.de", smtpPort: 587},
	"yandex.com":   {name: "Yandex", imapHost: "imap.yandex.com", smtpHost: "smtp.yandex.com", smtpPort: 465},
	"zoho.com":     {name: "Zoho", imapHost: "imap.zoho.com", smtpHost: "smtp.zoho.com", smtpPort: 465},
	"aol.com":      {name: "AOL", imapHost: "imap.aol.com", smtpHost: "smtp.aol.com", smtpPort: 465},
	"mail.ru":      {name: "Mail.ru", imapHost: "imap.mail.ru", smtpHost: "smtp.mail.ru", smtpPort: 465},
}

// mxProviders recognise hosted domains by their MX records.
var mxProviders = []struct {
	suffix string
	p      provider
}{
	{".google.com.", gmail}, {".googlemail.com.", gmail},
	{".mail.protection.outlook.com.", outlook},
}

func (p provider) suggestion(address, source string) Suggestion {
	return Suggestion{Source: source, Config: Config{Address: address, IMAPHost: p.imapHost, IMAPPort: 993, IMAPSecurity: TLS,
		SMTPHost: p.smtpHost, SMTPPort: p.smtpPort, SMTPSecurity: SMTPSecurityFor(p.smtpPort, TLS), ServerSavesSent: p.serverSavesSent}}
}

// Suggest guesses server settings for an address: a known provider by its
// domain, else DNS SRV records (RFC 6186, with RFC 8314's submissions), else
// a hosted provider recognised by the domain's MX records. It returns an
// error wrapping inbox.ErrNotFound when nothing answers; the user then types
// the servers in. r may be nil for the system resolver.
func Suggest(ctx context.Context, address string, r Resolver) (Suggestion, error) {
	addr, err := inbox.NormalizeAddress(inbox.ChannelEmail, address)
	if err != nil {
		return Suggestion{}, err
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	if p, ok := knownProviders[domain]; ok {
		return p.suggestion(address, "known provider "+p.name), nil
	}
	if r == nil {
		r = net.DefaultResolver
	}
	s := Suggestion{Source: "DNS SRV records of " + domain + " (RFC 6186)", Config: Config{Address: address}}
	// RFC 6186 section 3.4: prefer implicit TLS, lower priority first.
	for _, q := range []struct {
		service string
		sec     Security
		imap    bool
	}{{"imaps", TLS, true}, {"imap", StartTLS, true}, {"submissions", TLS, false}, {"submission", StartTLS, false}} {
		if q.imap && s.IMAPHost != "" || !q.imap && s.SMTPHost != "" {
			continue
		}
		host, port, ok := lookupSRV(ctx, r, q.service, domain)
		if !ok {
			continue
		}
		if q.imap {
			s.IMAPHost, s.IMAPPort, s.IMAPSecurity = host, port, q.sec
		} else {
			s.SMTPHost, s.SMTPPort, s.SMTPSecurity = host, port, q.sec
		}
	}
	if s.IMAPHost != "" && s.SMTPHost != "" {
		return s, nil
	}
	if mx, err := r.LookupMX(ctx, domain); err == nil {
		for _, m := range mx {
			host := strings.ToLower(m.Host)
			if !strings.HasSuffix(host, ".") {
				host += "."
			}
			for _, p := range mxProviders {
				if strings.HasSuffix(host, p.suffix) {
					return p.p.suggestion(address, "MX records of "+domain+": hosted by "+p.p.name), nil
				}
			}
		}
	}
	return Suggestion{}, fmt.Errorf("email: no server settings known for %s (no SRV records, unknown provider): pass --imap and --smtp: %w", domain, inbox.ErrNotFound)
}

// lookupSRV returns the best target of _service._tcp.domain; a target of
// "." means the service is not offered (RFC 2782).
func lookupSRV(ctx context.Context, r Resolver, service, domain string) (string, int, bool) {
	_, recs, err := r.LookupSRV(ctx, service, "tcp", domain)
	if err != nil || len(recs) == 0 {
		return "", 0, false
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].Priority != recs[j].Priority {
			return recs[i].Priority < recs[j].Priority
		}
		return recs[i].Weight > recs[j].Weight
	})
	t := strings.TrimSuffix(recs[0].Target, ".")
	if t == "" || recs[0].Port == 0 {
		return "", 0, false
	}
	return t, int(recs[0].Port), true
}
